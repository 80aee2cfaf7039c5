/**
 * The libraries workflow code uses, evaluated once per worker instead of once per cached workflow.
 *
 * With reuseV8Context the SDK evaluates the workflow bundle's modules again for every workflow it
 * runs, to keep module state apart: each cached workflow held its own zod (about 4,800 closures),
 * luxon (with its own zone cache and Intl.DateTimeFormat, whose ICU memory is outside the heap) and
 * colombian-holidays. That was about 1.1 MB of heap per workflow, and 3.5 MB of RSS with 10,000
 * workflows through a cache of 1,000 (the open-workflows benchmark). The worker lists this module in
 * `bundlerOptions.preloadModules` (workers/main.ts): the SDK evaluates it, and every module it
 * reaches, before the first workflow, and all workflows share them.
 *
 * A module rather than the package names: zod and luxon declare `sideEffects: false`, so webpack
 * drops a bare `require('luxon')` whose result is unused and the package would not be preloaded.
 *
 * What may be listed here: libraries without state, or whose state is a cache of pure functions
 * (luxon's zones and formatters, zod's memoizer), since it outlives each workflow and must not change
 * what one does. The SDK deep-freezes everything preloaded modules export, which zod schemas do not
 * survive (zod defines properties on them lazily: "Cannot define property safeParse, object is not
 * extensible"), so never list plazos modules that export schemas (plans/model.ts,
 * workflows/shared.ts), nor workflow code.
 */
import * as colombianHolidays from 'colombian-holidays';
import * as luxon from 'luxon';
import * as zod from 'zod';

export const SHARED_LIBRARIES = { colombianHolidays, luxon, zod };

// zod writes its defaults (the English messages, the memoizer its containers use) into its global
// config when it builds its first schema and first container. After the SDK has frozen that config
// the write would throw in every workflow (TypeError: object is not extensible), so build one now.
zod.z.object({ installDefaults: zod.z.string() });
