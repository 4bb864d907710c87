// Dates as people type and read them, for both pages (the front desk imports this file as it is;
// the playground's bundle takes it in through src/format.js and src/facts.js): 和暦 (令和7年12月1日,
// R7.12.1, 令7.12.1), ISO (2025-12-01), slashes (2025/12/1), 2025年12月1日, full-width digits — read
// into ISO for the policy, and shown both ways. No DOM here, so Node unit tests import it as it is.

/** The first day of each era, newest first: the engine's boundaries (`Era::info` in
 * grammar/src/literal.rs; a unit test compares the two), with the letter and the one-kanji short
 * form they are also typed with. */
export const ERAS = [
  { name: '令和', letter: 'R', short: '令', year: 2019, month: 5, day: 1 },
  { name: '平成', letter: 'H', short: '平', year: 1989, month: 1, day: 8 },
  { name: '昭和', letter: 'S', short: '昭', year: 1926, month: 12, day: 25 },
  { name: '大正', letter: 'T', short: '大', year: 1912, month: 7, day: 30 },
  { name: '明治', letter: 'M', short: '明', year: 1868, month: 10, day: 23 },
];

const pad = (n) => String(n).padStart(2, '0');

/** The years a date may have, as the engine reads them (`FIRST_YEAR`/`LAST_YEAR` in
 * grammar/src/literal.rs): 明治5年 and earlier used the lunisolar calendar, so the engine takes
 * dates from 1873-01-01 (明治6年1月1日) to 9999-12-31; a unit test compares them. */
export const FIRST_YEAR = 1873;
export const LAST_YEAR = 9999;

/** Full-width digits and punctuation as ASCII; blanks removed. */
function normalise(text) {
  return String(text)
    .replace(/[０-９Ａ-Ｚａ-ｚ．／－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[ー−–—]/g, '-')
    .replace(/[\s\u3000]/g, '');
}

function validDay(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function iso(y, m, d) {
  if (y < FIRST_YEAR || y > LAST_YEAR) return null;
  return validDay(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** A date as typed → ISO `2025-12-01`, or null while it is not (yet) a whole, real date. */
export function parseDate(text) {
  const s = normalise(text);
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(令和|平成|昭和|大正|明治|[RrHhSsTtMm令平昭大明])\.?(\d+|元)[年./-](\d{1,2})[月./-](\d{1,2})日?$/.exec(s);
  if (!m) return null;
  const era = ERAS.find((e) => e.name === m[1] || e.letter === m[1].toUpperCase() || e.short === m[1]);
  if (!era) return null;
  const n = m[2] === '元' ? 1 : Number(m[2]);
  if (n < 1) return null;
  const out = iso(era.year + n - 1, Number(m[3]), Number(m[4]));
  // A date before the era began (令和1年4月30日), or on or after the next one began (平成31年5月1日),
  // is not a date of that era: the grammar refuses both (onshi::literal::era_range).
  const start = (e) => `${e.year}-${pad(e.month)}-${pad(e.day)}`;
  const next = ERAS[ERAS.indexOf(era) - 1];
  if (out === null || out < start(era) || (next && out >= start(next))) return null;
  return out;
}

/** `2025-12-01` → `令和7年12月1日` (null for a date the engine does not read — before 1873 — or
 * not ISO). */
export function toWareki(isoDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(isoDate));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < FIRST_YEAR) return null;
  for (const e of ERAS) {
    if (`${m[1]}-${m[2]}-${m[3]}` >= `${e.year}-${pad(e.month)}-${pad(e.day)}`) {
      const n = y - e.year + 1;
      return `${e.name}${n === 1 ? '元' : n}年${mo}月${d}日`;
    }
  }
  return null;
}

/** A date for people: `令和7年12月1日` in Japanese; `1 Dec 2025 (R7)` in English. */
export function showDate(isoDate, lang = 'ja') {
  const w = toWareki(isoDate);
  if (lang === 'en') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(isoDate));
    if (!m) return String(isoDate);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const era = ERAS.find((e) => w?.startsWith(e.name));
    const n = w ? (/^..(\d+|元)年/.exec(w)?.[1] ?? '') : '';
    return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}${era ? ` (${era.letter}${n === '元' ? 1 : n})` : ''}`;
  }
  return w ?? String(isoDate);
}

/** Both forms at once, as shown beside a date field: `令和7年12月1日（2025-12-01）`. */
export function bothWays(isoDate, lang = 'ja') {
  const w = toWareki(isoDate);
  if (!w) return String(isoDate);
  return lang === 'en' ? `${isoDate} (${w})` : `${w}（${isoDate}）`;
}

/** Today in the page's time zone, ISO. */
export function todayIso(now = new Date()) {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
