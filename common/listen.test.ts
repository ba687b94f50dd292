import { describe, expect, it } from 'vitest';
import { allDatePieces, countPiece, datePieces, digitPieces, itemClips, parseListen, segments, spokenText, textPieces, type ListenItem } from './listen.ts';

const catalog: Record<string, string> = {
  'status.receivedOn': 'Received on {date}',
  'receipt.received': 'Received on {date}.',
  'info.ack.one': 'Confirm within {count} day.',
  'info.ack.other': 'Confirm within {count} days.',
  'report.teams': 'Who can read it: {teams}',
  'followup.kindRetaliation': '⚠️ You reported punishment',
};
const text = (key: string) => catalog[key];
const noDigits = () => undefined;

describe('the pieces a day is said with', () => {
  it('says a day in the order and words of each language', () => {
    expect(datePieces('en', '2026-03-07').map((p) => p.id)).toEqual(['date.month.March', 'date.day.7', 'date.year.2026']);
    expect(datePieces('es', '2026-03-07').map((p) => p.id)).toEqual(['date.day.7', 'date.lit.de', 'date.month.marzo', 'date.lit.de', 'date.year.2026']);
    expect(datePieces('zh-CN', '2026-03-07').map((p) => p.id)).toEqual(['date.year.2026', 'date.lit.年', 'date.month.3', 'date.lit.月', 'date.day.7', 'date.lit.日']);
  });

  it('names the year as the page shows it (the Thai calendar counts from 543 BC)', () => {
    expect(datePieces('th', '2026-03-07').map((p) => p.id)).toContain('date.year.2569');
  });

  it('records every piece any day of the recorded years needs', () => {
    for (const lang of ['en', 'es', 'hi', 'id', 'ms', 'vi']) {
      const recorded = new Set(allDatePieces(lang).map((p) => p.id));
      for (const day of ['2020-01-01', '2026-02-28', '2028-02-29', '2031-12-31', '2060-07-15']) {
        for (const piece of datePieces(lang, day)) expect(recorded.has(piece.id), `${lang} ${day} ${piece.id}`).toBe(true);
      }
    }
  });

  it('refuses what is not a day', () => {
    expect(() => datePieces('en', '7 March')).toThrow(/not a day/);
  });
});

describe('the case number, digit by digit', () => {
  it('reads each digit, with a pause between groups', () => {
    expect(digitPieces('0123 45')).toEqual(['digit.0', 'digit.1', 'digit.2', 'digit.3', 'pause', 'digit.4', 'digit.5']);
  });

  it('reads a 28-digit number as 28 digits and 6 pauses', () => {
    const spoken = digitPieces('1234 5678 9012 3456 7890 1234 5678');
    expect(spoken.filter((p) => p.startsWith('digit.'))).toHaveLength(28);
    expect(spoken.filter((p) => p === 'pause')).toHaveLength(6);
  });
});

describe('a block, item by item', () => {
  it('parses keys, values, digits and elements', () => {
    expect(parseListen(' status.receivedOn|date=2026-03-07  #receipt-token @info-who ')).toEqual<ListenItem[]>([
      { kind: 'text', key: 'status.receivedOn', vars: { date: '2026-03-07' } },
      { kind: 'digits', elementId: 'receipt-token' },
      { kind: 'element', elementId: 'info-who' },
    ]);
  });

  it('says a text with a day from its own segments and the day pieces', () => {
    expect(itemClips('en', parseListen('receipt.received|date=2026-03-07')[0]!, text, noDigits)).toEqual([
      'receipt.received#0', 'date.month.March', 'date.day.7', 'date.year.2026',
    ]);
  });

  it('chooses the plural form and says the count', () => {
    expect(itemClips('en', parseListen('info.ack|count=1')[0]!, text, noDigits)).toEqual(['info.ack.one#0', 'count.1', 'info.ack.one#2']);
    expect(itemClips('en', parseListen('info.ack|count=7')[0]!, text, noDigits)).toEqual(['info.ack.other#0', 'count.7', 'info.ack.other#2']);
  });

  it('cannot say a name an administrator typed, nor a missing value, nor an unknown key', () => {
    expect(itemClips('en', { kind: 'text', key: 'report.teams', vars: { teams: 'CSR' } }, text, noDigits)).toBeUndefined();
    expect(itemClips('en', { kind: 'text', key: 'status.receivedOn', vars: {} }, text, noDigits)).toBeUndefined();
    expect(itemClips('en', { kind: 'text', key: 'nope', vars: {} }, text, noDigits)).toBeUndefined();
    expect(itemClips('en', { kind: 'digits', elementId: 'x' }, text, () => '')).toBeUndefined();
    expect(countPiece('en', 100)).toBeUndefined();
  });

  it('records only segments that say something, without the pictures', () => {
    expect(segments('Received on {date}.')).toEqual([{ literal: 'Received on ' }, { variable: 'date' }, { literal: '.' }]);
    expect(textPieces('receipt.received', 'Received on {date}.')).toEqual([{ id: 'receipt.received#0', text: 'Received on' }]);
    expect(spokenText(catalog['followup.kindRetaliation']!)).toBe('You reported punishment');
  });
});
