// The capture form's choices (behaviour type with its examples, kind, channel), drawn from the server's vocabulary (js/vocabulary.js): index.html holds only the fieldsets
// with their legends and error places. Drawn again for a new language.
import { $, el } from "../dom.js";
import { entries } from "../vocabulary.js";

function typeCard(entry) {
  const id = `incident-type-${entry.code}`;
  return el("label", { class: "type-card", for: id },
    el("input", { type: "radio", id, name: "incident-type", value: entry.code,
      "aria-labelledby": `${id}-label`, "aria-describedby": `${id}-help` }),
    el("span", { class: "type-card-text" },
      el("span", { id: `${id}-label`, class: "type-card-title" }, entry.label),
      el("span", { id: `${id}-help`, class: "type-card-help" }, entry.help)));
}

function choice(type, name, entry) {
  return el("label", { class: "choice" },
    el("input", { type, name, value: entry.code }), " ", el("span", {}, entry.label));
}

/** Draw the options (unticked: js/incidents/form.js keeps what was ticked). */
export function render() {
  $("incident-type-options").replaceChildren(...entries("behaviour_types").map(typeCard));
  $("incident-kinds-options").replaceChildren(...entries("kinds").map((e) => choice("checkbox", "incident-kind", e)));
  $("incident-channel-options").replaceChildren(...entries("channels").map((e) => choice("radio", "incident-channel", e)));
}
