// Small DOM helpers shared by the screens.

export const $ = (id) => document.getElementById(id);

/** Create an element: el("li", {class: "x", dataset: {id: 1}}, child, "text"). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** An overlay is up (on) or gone: everything on the page but the ids in `keep` is inert. */
export function inertAllBut(keep, on) {
  for (const node of document.body.children) if (!keep.includes(node.id)) node.inert = on;
}
