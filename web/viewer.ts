/**
 * Who is looking at the dashboard and what they may do: one shape whether they signed in with the
 * users file or with the entity's account (OpenID Connect), kept in their session.
 *
 *  - `oapla`: the planning office; reads and does everything.
 *  - `control`: Control Interno; reads every page and changes nothing.
 *  - `areas`: the areas whose lead this person is (area codes as in config/areas.yaml).
 */
import type { SessionRoles } from '../store/records';

export interface Viewer {
  /** As shown on the pages and recorded with what they do: the users file's name, or the account's. */
  username: string;
  roles: SessionRoles;
}

/** The users file holds only OAPLA's people. */
export const OAPLA_ROLES: SessionRoles = { oapla: true, control: false, areas: [] };

export function hasAnyRole(roles: SessionRoles): boolean {
  return roles.oapla || roles.control || roles.areas.length > 0;
}

/** May read the OAPLA pages: OAPLA, and Control Interno, who oversees them. */
export function readsDashboard(viewer: Viewer): boolean {
  return viewer.roles.oapla || viewer.roles.control;
}

/** May change anything through the dashboard: OAPLA only. */
export function actsOnDashboard(viewer: Viewer): boolean {
  return viewer.roles.oapla;
}

/** What the layout's navigation offers this viewer, and whether the dashboard's forms show at all. */
export function navOf(viewer: Viewer): { dashboard: boolean; readOnly: boolean } {
  return { dashboard: readsDashboard(viewer), readOnly: !actsOnDashboard(viewer) };
}
