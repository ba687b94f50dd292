import { describe, expect, it } from 'vitest';
import { MAX_EVENT_LINES, NOTICE_SUBJECT, noticeSubject, noticeText, type Notice } from './notices.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `case${String(i).padStart(4, '0')}`);

describe('notice texts', () => {
  it('puts retaliation first and links to the workspace', () => {
    const text = noticeText({
      kind: 'events',
      events: [{ kind: 'reporter_wrote', caseShortId: 'aaaa1111' }, { kind: 'retaliation_reported', caseShortId: 'bbbb2222' }],
    }, 'https://speakup.example');
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- URGENT: the reporter of case bbbb2222 reports retaliation.',
      '- The reporter wrote a new message on case aaaa1111.',
    ]);
    expect(text).toContain('Sign in to read it: https://speakup.example/team');
  });

  it('stays short when a flood of reports arrives', () => {
    const many = ids(MAX_EVENT_LINES + 25);
    const events = noticeText({ kind: 'events', events: many.map((id) => ({ kind: 'case_received', caseShortId: id })) }, 'https://x.example');
    expect(events.split('\n').filter((l) => l.startsWith('- A new report'))).toHaveLength(MAX_EVENT_LINES);
    expect(events).toContain('- … and 25 more.');
    const digest = noticeText({
      kind: 'digest', counts: { acknowledgeSoon: [], acknowledgeMissed: many, feedbackSoon: [], feedbackMissed: [] },
    }, 'https://x.example');
    expect(digest).toContain(`- ${many.length} acknowledgement overdue: ${many.slice(0, MAX_EVENT_LINES).join(', ')}, …\n`);
    expect(digest).not.toContain(many.at(-1)!);
  });
});

describe('notices in the recipient\'s language', () => {
  const events: Notice = {
    kind: 'events',
    events: [{ kind: 'case_received', caseShortId: 'cccc3333' }, { kind: 'retaliation_reported', caseShortId: 'bbbb2222' }, { kind: 'reporter_wrote', caseShortId: 'aaaa1111' }],
  };
  const digest: Notice = {
    kind: 'digest', day: '2026-03-07',
    counts: { acknowledgeSoon: ['a1'], acknowledgeMissed: ['b2', 'b3'], feedbackSoon: ['c4'], feedbackMissed: ['d5'] },
  };
  /** Latin words once the short ids, the address and the product's name are taken out. */
  const latinWords = (text: string) =>
    new Set((text.replace(/https?:\/\/\S+|\b[a-d]\d\b|\b[a-d]{4}\d{4}\b|Ombud/g, '').match(/\p{Script=Latin}{2,}/gu) ?? []).map((w) => w.toLowerCase()));

  /** English words a language uses as its own (Tagalog's "team", "e-mail", "urgent", as the tl worker glossary and pages do). */
  const LOANWORDS: Partial<Record<string, string[]>> = { tl: ['team', 'mail', 'urgent'] };

  it.each(['zh-CN', 'vi', 'es', 'id', 'pt-BR', 'tr', 'ms', 'tl', 'th', 'km', 'my', 'bn', 'ta', 'te', 'hi', 'ne', 'ur'] as const)('writes every line of an event notice and a digest in %s, with the ids and the link', (lang) => {
    for (const notice of [events, digest]) {
      const text = noticeText(notice, 'https://speakup.example', lang);
      const english = latinWords(noticeText(notice, 'https://speakup.example', 'en'));
      const left = [...latinWords(text)].filter((w) => (lang === 'zh-CN' || english.has(w)) && !LOANWORDS[lang]?.includes(w));
      expect(left).toEqual([]);
      expect(text).toContain('https://speakup.example/team');
      for (const id of ['a1', 'b2', 'b3', 'c4', 'd5']) if (notice.kind === 'digest') expect(text).toContain(id);
    }
    expect(noticeText(events, 'https://x.example', lang)).toMatch(/bbbb2222[\s\S]*cccc3333[\s\S]*aaaa1111/);
    expect(noticeSubject(lang)).not.toBe(noticeSubject('en'));
  });

  it('dates the digest in the recipient\'s way of writing dates', () => {
    expect(noticeText(digest, 'https://x.example', 'en')).toContain('7 March 2026');
    expect(noticeText(digest, 'https://x.example', 'zh-CN')).toContain('2026年3月7日');
    expect(noticeText(digest, 'https://x.example', 'vi')).toMatch(/7 tháng 3,? 2026/);
    expect(noticeText(digest, 'https://x.example', 'es')).toContain('7 de marzo de 2026');
    expect(noticeText(digest, 'https://x.example', 'id')).toContain('7 Maret 2026');
    expect(noticeText(digest, 'https://x.example', 'pt-BR')).toContain('7 de março de 2026');
    expect(noticeText(digest, 'https://x.example', 'tr')).toContain('7 Mart 2026');
    expect(noticeText(digest, 'https://x.example', 'ms')).toContain('7 Mac 2026');
    expect(noticeText(digest, 'https://x.example', 'tl')).toContain('Marso 7, 2026');
    // Thai dates count years in the Buddhist Era, as Thai offices write them (2569 = 2026).
    expect(noticeText(digest, 'https://x.example', 'th')).toContain('7 มีนาคม 2569');
    expect(noticeText(digest, 'https://x.example', 'km')).toContain('7 មីនា 2026');
    expect(noticeText(digest, 'https://x.example', 'my')).toContain('၂၀၂၆ မတ် ၇');
    expect(noticeText(digest, 'https://x.example', 'bn')).toContain('৭ মার্চ, ২০২৬');
    expect(noticeText(digest, 'https://x.example', 'ta')).toContain('7 மார்ச், 2026');
    expect(noticeText(digest, 'https://x.example', 'te')).toContain('7 మార్చి, 2026');
    expect(noticeText(digest, 'https://x.example', 'hi')).toContain('7 मार्च 2026');
    expect(noticeText(digest, 'https://x.example', 'ne')).toContain('२०२६ मार्च ७');
    expect(noticeText(digest, 'https://x.example', 'ur')).toContain('7 مارچ، 2026');
  });

  it('counts the cases in the language', () => {
    expect(noticeText(digest, 'https://x.example', 'en')).toContain('- 2 acknowledgement overdue: b2, b3');
    expect(noticeText(digest, 'https://x.example', 'zh-CN')).toContain('2 个案件');
    expect(noticeText(digest, 'https://x.example', 'vi')).toContain('2 vụ việc');
    expect(noticeText(digest, 'https://x.example', 'es')).toContain('acuse de recibo vencido: 2 casos (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'es')).toContain('1 caso (a1)');
    expect(noticeText(digest, 'https://x.example', 'pt-BR')).toContain('confirmação de recebimento atrasada: 2 casos (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'pt-BR')).toContain('1 caso (a1)');
    expect(noticeText(digest, 'https://x.example', 'tr')).toContain('alındı bildirimi süresi geçti: 2 vaka (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'th')).toContain('เลยกำหนดตอบรับเรื่องแล้ว: 2 กรณี (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'km')).toContain('ហួសកំណត់បញ្ជាក់ការទទួល៖ សំណុំរឿង 2 (b2, b3)');
    // Burmese counts in Myanmar digits, like its dates; the ids stay as the workspace shows them.
    expect(noticeText(digest, 'https://x.example', 'my')).toContain('ကျော်လွန်ပြီ- ကိစ္စ ၂ ခု (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'my')).toContain('၂ ရက်အတွင်း');
    // Bengali counts in its own digits, as its dates are.
    expect(noticeText(digest, 'https://x.example', 'bn')).toContain('প্রাপ্তি স্বীকারের সময় পেরিয়ে গেছে: ২টি কেস (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'ta')).toContain('2 விவகாரங்கள் (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'ta')).toContain('1 விவகாரம் (a1)');
    expect(noticeText(digest, 'https://x.example', 'te')).toContain('2 కేసులు (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'te')).toContain('1 కేసు (a1)');
    expect(noticeText(digest, 'https://x.example', 'hi')).toContain('प्राप्ति की पुष्टि का समय निकल गया: 2 मामले (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'hi')).toContain('1 मामला (a1)');
    expect(noticeText(digest, 'https://x.example', 'ne')).toContain('प्राप्तिको पुष्टि गर्ने म्याद नाघेको: 2 मामिला (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'ur')).toContain('وصولی کی تصدیق کی مہلت گزر گئی: 2 معاملات (b2, b3)');
    expect(noticeText(digest, 'https://x.example', 'ur')).toContain('1 معاملہ (a1)');
  });

  it('falls back to English for a language it does not write (a stored choice no longer offered)', () => {
    expect(noticeText(events, 'https://x.example', 'xx' as never)).toBe(noticeText(events, 'https://x.example', 'en'));
    expect(noticeSubject('xx' as never)).toBe(NOTICE_SUBJECT);
  });
});
