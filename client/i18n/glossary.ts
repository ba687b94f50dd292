/**
 * One glossary per worker language: the words that carry the pages (report,
 * report number, team, punishment for speaking up, lock, voice message,
 * optional…), the one form a catalog uses, and the variants it must not use
 * — a synonym that means something else to a worker (举报 "inform on",
 * báo cáo "office report", ปลอม "forge"), another country's usage (Malay
 * "melapor", European Portuguese), a second spelling, or the wrong register
 * (usted, तुम). glossary.test.ts fails when a catalog uses a variant, and
 * when a glossary form is not used at all (a glossary nobody follows).
 * docs/translations.md explains each choice and what a native speaker
 * should still check.
 *
 * Latin-script words match as whole words, case-insensitively; other
 * scripts as substrings (they do not separate words with spaces, or attach
 * particles to them).
 */
export interface GlossaryTerm {
  /** What the term is, in English. */
  term: string;
  /** The form the catalog uses (at least once). */
  use: string;
  /** Forms the catalog must not use. */
  avoid: readonly string[];
}

export const GLOSSARY: Readonly<Record<string, readonly GlossaryTerm[]>> = {
  en: [
    { term: 'report', use: 'report', avoid: ['complaint', 'whistleblowing'] },
    { term: 'report number', use: 'report number', avoid: ['case number', 'ticket', 'token'] },
    { term: 'team', use: 'team', avoid: ['investigator', 'investigators'] },
    { term: 'lock (encrypt)', use: 'locked (encrypted)', avoid: ['secured', 'ciphered'] },
    { term: 'voice message', use: 'voice message', avoid: ['voice note', 'audio message'] },
    { term: 'optional', use: 'optional', avoid: ['not mandatory', 'not required'] },
    { term: 'punished for speaking up', use: 'punish', avoid: ['reprisal', 'victimisation'] },
  ],
  es: [
    { term: 'report', use: 'denuncia', avoid: ['queja', 'reclamo', 'reporte'] },
    { term: 'report number', use: 'número de denuncia', avoid: ['número de caso', 'código de denuncia'] },
    { term: 'team', use: 'equipo', avoid: ['investigadores'] },
    { term: 'lock (encrypt)', use: 'con llave', avoid: ['encripta', 'encriptado', 'bloquea'] },
    { term: 'voice message', use: 'mensaje de voz', avoid: ['nota de voz', 'audio'] },
    { term: 'optional', use: 'opcional', avoid: ['facultativo'] },
    { term: 'register: tú', use: 'tu', avoid: ['usted', 'su denuncia', 'su número'] },
    { term: 'phone', use: 'teléfono', avoid: ['móvil', 'celular'] },
  ],
  'zh-CN': [
    { term: 'report', use: '投诉', avoid: ['举报', '检举', '告发'] },
    { term: 'report number', use: '投诉编号', avoid: ['举报编号', '案件编号', '案号'] },
    { term: 'voice message', use: '语音留言', avoid: ['语音消息', '语音信息'] },
    { term: 'optional', use: '可以不', avoid: ['可选', '选填', '非必填'] },
    { term: 'disguise the voice', use: '变声', avoid: ['被变声', '伪造'] },
  ],
  hi: [
    { term: 'report', use: 'शिकायत', avoid: ['रिपोर्ट'] },
    { term: 'report number', use: 'शिकायत नंबर', avoid: ['केस नंबर', 'शिकायत संख्या'] },
    { term: 'key', use: 'चाबी', avoid: ['कुंजी'] },
    { term: 'lock (encrypt)', use: 'लॉक', avoid: ['ताला'] },
    { term: 'finish (recording), not one letter from “wait”', use: 'ख़त्म करें', avoid: ['“रोकें”'] },
    { term: 'team', use: 'टीम', avoid: ['टोली'] },
  ],
  th: [
    { term: 'disguise the voice', use: 'เปลี่ยนเสียง', avoid: ['ปลอม'] },
    { term: 'please', use: 'กรุณา', avoid: ['โปรด'] },
    { term: 'complaint (committee)', use: 'ร้องเรียน', avoid: ['ร้องทุกข์'] },
  ],
  vi: [
    { term: 'report', use: 'phản ánh', avoid: ['báo cáo', 'tố cáo', 'tố giác'] },
    { term: 'grievance committee', use: 'Ban giải quyết khiếu nại', avoid: ['ủy ban khiếu nại'] },
  ],
  id: [
    { term: 'report', use: 'laporan', avoid: ['aduan'] },
    { term: 'file', use: 'berkas', avoid: ['file', 'fail'] },
  ],
  ms: [
    { term: 'to report', use: 'membuat laporan', avoid: ['melapor'] },
    { term: 'file', use: 'fail', avoid: ['berkas', 'file'] },
    { term: 'harassment', use: 'buli atau gangguan', avoid: ['pelecehan'] },
  ],
  bn: [
    { term: 'report', use: 'অভিযোগ', avoid: ['রিপোর্ট', 'নালিশ'] },
    { term: 'report number', use: 'অভিযোগ নম্বর', avoid: ['কেস নম্বর'] },
    { term: 'team', use: 'দল', avoid: ['টিম'] },
    { term: 'lock (encrypt)', use: 'তালা', avoid: ['লক করা'] },
    { term: 'voice message', use: 'ভয়েস মেসেজ', avoid: ['অডিও বার্তা', 'কণ্ঠবার্তা'] },
    { term: 'optional', use: 'ইচ্ছা হলে', avoid: ['ঐচ্ছিক'] },
    { term: 'register: আপনি', use: 'আপনি', avoid: ['তুমি', 'তোমার'] },
  ],
  km: [
    { term: 'report (complaint)', use: 'បណ្ដឹង', avoid: ['បណ្តឹង', 'របាយការណ៍'] },
    { term: 'report number', use: 'លេខបណ្ដឹង', avoid: ['លេខករណី'] },
    { term: 'team', use: 'ក្រុម', avoid: ['ទីម'] },
    { term: 'lock (encrypt)', use: 'ចាក់សោ', avoid: ['ចាក់សោរ'] },
    { term: 'voice message', use: 'សារជាសំឡេង', avoid: ['សារសំឡេង', 'សំលេង'] },
    { term: 'optional', use: 'បើចង់', avoid: ['ស្រេចចិត្ត'] },
  ],
  my: [
    { term: 'report (complaint)', use: 'တိုင်ကြားချက်', avoid: ['အစီရင်ခံစာ'] },
    { term: 'report number', use: 'တိုင်ကြားချက်နံပါတ်', avoid: ['အမှုနံပါတ်'] },
    { term: 'team', use: 'အဖွဲ့', avoid: ['တီမ်'] },
    { term: 'lock (encrypt)', use: 'သော့ခတ်', avoid: ['လော့ခ်'] },
    { term: 'voice message', use: 'အသံမက်ဆေ့ချ်', avoid: ['အသံဖိုင်', 'ဗွိုက်စ်'] },
    { term: 'register: no gendered pronoun', use: 'သင်', avoid: ['ခင်ဗျား', 'ရှင့်'] },
  ],
  ne: [
    { term: 'report (complaint)', use: 'उजुरी', avoid: ['रिपोर्ट', 'शिकायत'] },
    { term: 'report number', use: 'उजुरी नम्बर', avoid: ['उजुरी नंबर', 'केस नम्बर'] },
    { term: 'team', use: 'टोली', avoid: ['टिम'] },
    { term: 'lock (encrypt)', use: 'ताल्चा', avoid: ['लक गर'] },
    { term: 'voice message', use: 'भ्वाइस म्यासेज', avoid: ['आवाज सन्देश', 'अडियो'] },
    { term: 'optional', use: 'चाहेमा', avoid: ['ऐच्छिक', 'वैकल्पिक'] },
    { term: 'register: तपाईं', use: 'तपाईं', avoid: ['तिमी', 'तिम्रो'] },
  ],
  ur: [
    { term: 'report (complaint)', use: 'شکایت', avoid: ['رپورٹ'] },
    { term: 'report number', use: 'شکایت نمبر', avoid: ['کیس نمبر'] },
    { term: 'team', use: 'ٹیم', avoid: ['جماعت'] },
    { term: 'lock (encrypt)', use: 'تالا', avoid: ['لاک'] },
    { term: 'voice message', use: 'صوتی پیغام', avoid: ['وائس میسج', 'آڈیو'] },
    { term: 'optional', use: 'اگر چاہیں', avoid: ['اختیاری'] },
    { term: 'register: آپ', use: 'آپ', avoid: ['تمہار', 'تم نے'] },
  ],
  ta: [
    { term: 'report (complaint)', use: 'புகார்', avoid: ['அறிக்கை', 'ரிப்போர்ட்'] },
    { term: 'report number', use: 'புகார் எண்', avoid: ['வழக்கு எண்'] },
    { term: 'team', use: 'குழு', avoid: ['டீம்'] },
    { term: 'lock (encrypt)', use: 'பூட்ட', avoid: ['லாக் செய்'] },
    { term: 'voice message', use: 'குரல் செய்தி', avoid: ['ஆடியோ', 'வாய்ஸ்'] },
    { term: 'optional', use: 'விருப்பப்பட்டால்', avoid: ['விருப்பத்தேர்வு'] },
    { term: 'register: நீங்கள்', use: 'நீங்கள்', avoid: ['உன்னுடைய', 'உனக்கு'] },
  ],
  te: [
    { term: 'report (complaint)', use: 'ఫిర్యాదు', avoid: ['రిపోర్ట్', 'నివేదిక'] },
    { term: 'report number', use: 'ఫిర్యాదు నంబర్', avoid: ['కేసు నంబర్'] },
    { term: 'team', use: 'బృంద', avoid: ['టీమ్'] },
    { term: 'lock (encrypt)', use: 'తాళం', avoid: ['లాక్'] },
    { term: 'voice message', use: 'వాయిస్ మెసేజ్', avoid: ['ఆడియో', 'స్వర సందేశం'] },
    { term: 'optional', use: 'కావాలంటే', avoid: ['ఐచ్ఛికం'] },
    { term: 'register: మీరు', use: 'మీరు', avoid: ['నువ్వు', 'నీకు'] },
  ],
  tl: [
    { term: 'report (complaint)', use: 'reklamo', avoid: ['ulat', 'sumbong'] },
    { term: 'report number', use: 'numero ng reklamo', avoid: ['case number'] },
    { term: 'team', use: 'team', avoid: ['koponan', 'pangkat'] },
    { term: 'lock (encrypt)', use: 'i-lock', avoid: ['ikandado'] },
    { term: 'voice message', use: 'voice message', avoid: ['mensaheng boses', 'audio'] },
    { term: 'optional', use: 'kung gusto mo', avoid: ['opsyonal'] },
  ],
  'pt-BR': [
    { term: 'report', use: 'relato', avoid: ['denúncia', 'ocorrência'] },
    { term: 'report number', use: 'número do relato', avoid: ['protocolo'] },
    { term: 'team', use: 'equipe', avoid: ['time'] },
    { term: 'lock (encrypt)', use: 'trancado', avoid: ['bloqueado', 'encriptado'] },
    { term: 'voice message', use: 'mensagem de voz', avoid: ['recado de voz', 'áudio'] },
    { term: 'optional', use: 'opcional', avoid: ['facultativo'] },
    { term: 'Brazilian, not European Portuguese', use: 'celular', avoid: ['telemóvel', 'ficheiro', 'ecrã', 'equipa'] },
  ],
  tr: [
    { term: 'report (complaint)', use: 'şikâyet', avoid: ['ihbar', 'şikayet'] },
    { term: 'report number', use: 'şikâyet numarası', avoid: ['dosya numarası'] },
    { term: 'team', use: 'ekip', avoid: ['takım'] },
    { term: 'lock (encrypt)', use: 'kilitle', avoid: ['şifreli kilit'] },
    { term: 'voice message', use: 'sesli mesaj', avoid: ['ses mesajı', 'ses kaydı'] },
    { term: 'optional', use: 'isteğe bağlı', avoid: ['opsiyonel', 'zorunlu değil'] },
    { term: 'register: siz', use: 'siz', avoid: ['senin', 'sana'] },
  ],
};

const LATIN = /^[\p{Script=Latin}\s'’-]+$/u;

/** Where `form` occurs in `text`: whole words for Latin script (any case), else a plain substring. */
export function containsForm(text: string, form: string): boolean {
  if (LATIN.test(form)) {
    const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\p{L}\\p{M}])${escaped}(?![\\p{L}\\p{M}])`, 'iu').test(text);
  }
  return text.includes(form);
}

/** The glossary breaches of one catalog: each avoided form with the keys that use it, and glossary forms used nowhere. */
export function glossaryBreaches(lang: string, catalog: Readonly<Record<string, string>>): string[] {
  const breaches: string[] = [];
  // Placeholders ({token}) are not words of the language.
  const texts = Object.entries(catalog).map(([key, text]) => [key, text.replace(/\{\w+\}/g, '')] as const);
  for (const { term, use, avoid } of GLOSSARY[lang] ?? []) {
    if (!texts.some(([, text]) => containsForm(text, use))) breaches.push(`${term}: “${use}” is used nowhere`);
    for (const form of avoid) {
      const keys = texts.filter(([, text]) => containsForm(text, form)).map(([key]) => key);
      if (keys.length > 0) breaches.push(`${term}: “${form}” (use “${use}”) in ${keys.join(', ')}`);
    }
  }
  return breaches;
}
