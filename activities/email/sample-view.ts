/**
 * A view with every field filled, used only to render each template once at start (see
 * templates.ts). It is never sent.
 */
import type { NoticeView } from './view';

export const SAMPLE_VIEW: NoticeView = {
  kind: 'kickoff',
  locale: 'es',
  plan: { title: 'Plan de ejemplo', year: 2023, entity: 'Entidad de ejemplo' },
  owner: { code: 'OAPLA', name: 'Oficina Asesora de Planeación' },
  lead: { code: 'ARCOM', name: 'Área de Comunicaciones' },
  activity: {
    number: 1,
    title: 'Actividad de ejemplo',
    shortTitle: 'Actividad de ejemplo',
    deliverable: 'Entregable de ejemplo',
    start: 'lunes 2 de enero de 2023',
    due: 'martes 31 de enero de 2023',
    responsible: [{ code: 'ARCOM', name: 'Área de Comunicaciones' }],
  },
  period: 'enero de 2023',
  dueDate: 'martes 31 de enero de 2023',
  reason: 'Motivo de ejemplo',
  escalation: 1,
  maxEscalations: 3,
  lastEscalation: false,
  note: 'Nota de ejemplo',
  checkMessage: 'Mensaje de ejemplo',
  rejectReason: 'Observación de ejemplo',
  newDue: 'martes 28 de febrero de 2023',
  evidenceUrl: 'https://example.org/evidencia',
  submitUrl: 'https://example.org/registrar',
  failedRecipients: [{ code: 'ARVIV', name: 'Área de Vivienda' }],
};
