/**
 * The areas directory: area code -> name and mailboxes. Validated at the edge so that nothing
 * downstream can put a CR/LF into a mail header or send to a malformed address.
 */
import { z } from 'zod';
import { AreaCodeSchema } from './model';

const noLineBreaks = (s: string) => !/[\r\n]/.test(s);

export const AREA_ROLES = ['control-interno'] as const;

const EmailSchema = z
  .string()
  .refine(noLineBreaks, { message: 'La dirección no puede contener saltos de línea.' })
  .pipe(z.email({ message: 'Dirección de correo inválida.' }));

export const AreaSchema = z.object({
  name: z.string().trim().min(1, { message: 'Falta el nombre del área.' }).refine(noLineBreaks, { message: 'El nombre no puede contener saltos de línea.' }),
  email: z.array(EmailSchema).min(1, { message: 'El área necesita al menos una dirección de correo.' }),
  cc: z.array(EmailSchema).default([]),
  /**
   * `control-interno`: the Oficina de Control Interno, which receives the follow-up report at each
   * cut (Decreto 124 de 2016 puts the PAAC's follow-up in its hands). At most one area has it.
   */
  role: z.enum(AREA_ROLES, { message: 'Rol de área desconocido: el único rol es "control-interno".' }).optional(),
});
export type Area = z.infer<typeof AreaSchema>;

export const AreasDirectorySchema = z.record(AreaCodeSchema, AreaSchema);
export type AreasDirectory = z.infer<typeof AreasDirectorySchema>;

/** The area code of the Oficina de Control Interno (`role: control-interno`), if the directory names one. */
export function controlInternoArea(areas: AreasDirectory): string | null {
  return Object.entries(areas).find(([, a]) => a.role === 'control-interno')?.[0] ?? null;
}
