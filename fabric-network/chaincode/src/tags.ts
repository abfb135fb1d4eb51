/**
 * Tag codes: a bottle is identified by GTIN + serial (GS1 AI 01 + AI 21). The code printed on it is either a
 * GS1 Digital Link URI (`https://id.example.com/01/09506000134352/21/7KQ2M9XW4RTA?k=1&m=...`) or a GS1 element
 * string (`0109506000134352217KQ2M9XW4RTA`, or with parentheses `(01)09506000134352(21)7KQ2M9XW4RTA`).
 *
 * The chaincode cannot check the code's MAC (`m`, keyed with the producer's secret); it checks that the tag the
 * gateway signed denotes the GTIN and serial the record claims, and stores the tag as signed.
 */

export interface TagId {
  /** 14 digits, check digit valid. */
  readonly gtin: string;
  /** 1–20 characters of GS1 AI 21's character set 82. */
  readonly serial: string;
}

/** GS1 character set 82 (AI 21 serials): ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z. */
const SERIAL = /^[!"%-?A-Z_a-z]{1,20}$/;

/** Normalises a GTIN-8/12/13/14 to 14 digits and checks its check digit; null when it is not a GTIN. */
export function normaliseGtin(value: unknown): string | null {
  if (typeof value !== 'string' || !/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(value)) {
    return null;
  }
  const gtin = value.padStart(14, '0');
  let sum = 0;
  for (let i = 0; i < 13; i++) {
    sum += Number(gtin[i]) * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10 === Number(gtin[13]) ? gtin : null;
}

export function isValidSerial(value: unknown): value is string {
  return typeof value === 'string' && SERIAL.test(value);
}

/** Parses a tag code; the error says why it is not one. */
export function parseTag(tag: unknown): { ok: true; id: TagId } | { ok: false; error: string } {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 2048) {
    return { ok: false, error: 'tag must be a non-empty string of at most 2048 characters' };
  }
  return /^https?:\/\//i.test(tag) ? parseDigitalLink(tag) : parseElementString(tag);
}

function parseDigitalLink(tag: string): { ok: true; id: TagId } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(tag);
  } catch {
    return { ok: false, error: 'tag is not a valid URI' };
  }
  // A Digital Link path may carry a prefix before its primary key: /{prefix...}/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const at = segments.lastIndexOf('01');
  if (at < 0 || at + 1 >= segments.length) {
    return { ok: false, error: 'Digital Link has no /01/{gtin} primary key' };
  }
  const gtin = normaliseGtin(segments[at + 1]);
  if (gtin === null) {
    return { ok: false, error: `Digital Link GTIN '${segments[at + 1]}' is not a valid GTIN` };
  }
  const rest = segments.slice(at + 2);
  if (rest.length % 2 !== 0) {
    return { ok: false, error: 'Digital Link key qualifiers must come in /{ai}/{value} pairs' };
  }
  let serial: string | null = null;
  for (let i = 0; i < rest.length; i += 2) {
    const ai = rest[i];
    if (ai !== '22' && ai !== '10' && ai !== '21') {
      return { ok: false, error: `Digital Link has an unexpected key qualifier /${ai}/` };
    }
    if (ai === '21') {
      if (serial !== null) {
        return { ok: false, error: 'Digital Link has more than one serial (/21/)' };
      }
      try {
        serial = decodeURIComponent(rest[i + 1]);
      } catch {
        return { ok: false, error: 'Digital Link serial is not valid percent-encoding' };
      }
    }
  }
  if (serial === null) {
    return { ok: false, error: 'Digital Link has no serial (/21/{serial})' };
  }
  if (!isValidSerial(serial)) {
    return { ok: false, error: 'Digital Link serial is not 1–20 characters of GS1 character set 82' };
  }
  return { ok: true, id: { gtin, serial } };
}

function parseElementString(tag: string): { ok: true; id: TagId } | { ok: false; error: string } {
  const match = /^\(01\)(\d{14})\(21\)(.+)$/.exec(tag) ?? /^01(\d{14})21(.+)$/.exec(tag);
  if (match === null) {
    return { ok: false, error: 'tag is neither a Digital Link URI nor an element string 01{gtin14}21{serial}' };
  }
  const gtin = normaliseGtin(match[1]);
  if (gtin === null) {
    return { ok: false, error: `element string GTIN '${match[1]}' has a wrong check digit` };
  }
  if (!isValidSerial(match[2])) {
    return { ok: false, error: 'element string serial is not 1–20 characters of GS1 character set 82' };
  }
  return { ok: true, id: { gtin, serial: match[2] } };
}
