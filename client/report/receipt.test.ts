import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { es } from '../i18n/es.ts';
import { hi } from '../i18n/hi.ts';
import { id } from '../i18n/id.ts';
import { ms } from '../i18n/ms.ts';
import { th } from '../i18n/th.ts';
import { vi } from '../i18n/vi.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { bn } from '../i18n/bn.ts';
import { km } from '../i18n/km.ts';
import { my } from '../i18n/my.ts';
import { ne } from '../i18n/ne.ts';
import { ur } from '../i18n/ur.ts';
import { ta } from '../i18n/ta.ts';
import { te } from '../i18n/te.ts';
import { tl } from '../i18n/tl.ts';
import { ptBR } from '../i18n/pt-BR.ts';
import { tr } from '../i18n/tr.ts';
import { lastGroup, typedDigits } from './receipt.ts';

const CATALOGS = { en, es, hi, id, ms, th, vi, 'zh-CN': zhCN, bn, km, my, ne, ur, ta, te, tl, 'pt-BR': ptBR, tr };
/** What a saved file must not say, in the project's languages (report, number, complaint, case, …). */
const NAMING = /report|number|case|complaint|grievance|ombud|denuncia|queja|n[uú]mero|laporan|nomor|nombor|aduan|shikayat|bao.?cao|m[aã].?s[oố]|khi[eế]u|举报|编号|投诉|รายงาน|หมายเลข|ร้องเรียน|रिपोर्ट|शिकायत|नंबर|relato|reklamo|numero|şikâyet|numara|অভিযোগ|নম্বর|उजुरी|नम्बर|شکایت|نمبر|புகார்|எண்|ఫిర్యాదు|నంబర్|បណ្ដឹង|တိုင်ကြား|နံပါတ်/iu;
/** …and what its text must not say: "the number above" is fine, a report, a complaint or a case is not. */
const TEXT_NAMING = /report|case|complaint|grievance|ombud|answer|team|denuncia|queja|laporan|aduan|shikayat|b[aá]o c[aá]o|khi[eế]u|举报|投诉|团队|รายงาน|ร้องเรียน|ทีม|रिपोर्ट|शिकायत|टीम/iu;

describe('what a worker saves', () => {
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    it(`has a file name and a text that do not say what they are (${lang})`, () => {
      expect(catalog['receipt.fileName']).toMatch(/^[a-z0-9-]+\.txt$/);
      expect(catalog['receipt.fileName']).not.toMatch(NAMING);
      const text = catalog['receipt.fileText'];
      expect(text).toContain('{token}');
      expect(text).toContain('{url}');
      expect(text.replaceAll(/\{[a-z]+\}/gi, '')).not.toMatch(TEXT_NAMING);
      expect(text).not.toContain(catalog['receipt.tokenLabel']);
    });
  }
});

describe('typing the last group back', () => {
  it('finds the last group of a grouped number', () => {
    expect(lastGroup('1234 5678 9012 3456 7890 1234 5670')).toBe('5670');
  });

  it('reads digits of any script and ignores spaces, and keeps anything else so it cannot match', () => {
    expect(typedDigits(' 56 70 ')).toBe('5670');
    expect(typedDigits('๕๖๗๐')).toBe('5670');
    expect(typedDigits('５６７０')).toBe('5670');
    expect(typedDigits('567O')).toBe('567O');
  });
});
