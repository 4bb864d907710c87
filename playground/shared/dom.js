// The one DOM helper of both pages (the front desk imports this file as it is; the playground's
// bundle takes it in through src/).

/** `el('button', { class: 'loc', text: 'a.onshi:3', onclick: f }, …children)`: an element with its
 * attributes (`class`, `text` for its text, `on…` for a listener, `true` for an empty attribute;
 * null, undefined and false ones left out) and its children (null, undefined and false left out). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}
