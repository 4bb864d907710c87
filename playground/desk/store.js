// What the front-desk page remembers on this device, in localStorage (nothing leaves the device):
// the facility's settings (everything under 「この施設の状況」), the chosen language, and the policy
// edition last used (to say once when a newer one arrived). Never anything about a patient: the
// documents shown, the visit day and the 資格確認書's expiry are not stored anywhere.
// No DOM here (Node unit tests import it with a stand-in storage).

/** The one key the page uses. */
export const KEY = 'onshi.front-desk.v1';

/** The device's storage, or null where there is none (or it refuses: private mode, a full disk). */
function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** What is stored, checked against the policy's inputs: `{ facility, lang, edition }`; a value the
 * policy does not know (an older page, a hand-edited entry) is dropped, and a facility without its
 * required choices is no facility (the page asks again). */
export function load(inputs, facilityNames, store = storage()) {
  let raw = null;
  try {
    raw = JSON.parse(store?.getItem(KEY) ?? 'null');
  } catch {
    raw = null;
  }
  const out = { facility: null, lang: null, edition: null };
  if (!raw || typeof raw !== 'object') return out;
  if (raw.lang === 'ja' || raw.lang === 'en') out.lang = raw.lang;
  if (typeof raw.edition === 'string') out.edition = raw.edition;
  const saved = raw.facility;
  if (saved && typeof saved === 'object') {
    const facility = {};
    let complete = true;
    for (const name of facilityNames) {
      const input = inputs.find((i) => i.name === name);
      if (!input) continue;
      const v = saved[name];
      const ok = input.kind === 'bool' ? typeof v === 'boolean' : input.kind === 'enum' ? input.type.variants.includes(v) : false;
      if (ok) facility[name] = v;
      else if (input.required) complete = false;
    }
    if (complete) out.facility = facility;
  }
  return out;
}

/** Stores `patch` over what is stored (only the keys `facility`, `lang`, `edition`). */
export function save(patch, store = storage()) {
  if (!store) return false;
  try {
    let current = {};
    try {
      current = JSON.parse(store.getItem(KEY) ?? '{}') ?? {};
    } catch {
      current = {};
    }
    const next = { ...current };
    for (const k of ['facility', 'lang', 'edition']) if (k in patch) next[k] = patch[k];
    store.setItem(KEY, JSON.stringify(next));
    return true;
  } catch {
    return false;
  }
}
