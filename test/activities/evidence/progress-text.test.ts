import { parseProgress } from '../../../activities/evidence/progress-text';

describe('parseProgress reads the percentage an area writes in a reply', () => {
  it.each([
    ['Avance: 60 %', 60],
    ['avance 60%', 60],
    ['Progreso: 60 %', 60],
    ['Progress: 60%', 60],
    ['AVANCE:100%', 100],
    ['Avance: 0 %', 0],
    ['Buenos días,\nAvance del 45\u00a0% en la actividad.\nSaludos', 45],
    ['avance = 30 %', 30],
    ['Avance: 20 %\n\n> Avance: 90 %', 20],
  ])('%j gives %d', (text, percent) => {
    expect(parseProgress(text)).toEqual({ percent });
  });

  it.each([
    ['no figure at all', 'Adjunto el informe.'],
    ['a number without the percent sign', 'avance 2 de 3 informes'],
    ['more than 100', 'Avance: 150 %'],
    ['a decimal', 'Avance: 60,5 %'],
    ['four digits', 'Avance: 1000 %'],
    ['a keyword inside another word', 'preavance: 50 %'],
    ['empty text', ''],
  ])('%s gives nothing', (_why, text) => {
    expect(parseProgress(text)).toBeUndefined();
  });

  it('takes the first phrase, even when it is out of range, rather than guessing from a later one', () => {
    expect(parseProgress('Avance: 120 %. Corrijo: avance 80 %')).toBeUndefined();
  });
});
