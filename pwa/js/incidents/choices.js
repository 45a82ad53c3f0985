// The capture form's choices (behaviour type with its examples, kind, channel) and its limits,
// drawn from the server's vocabulary (js/vocabulary.js): index.html holds only the fieldsets
// with their legends and error places. Drawn again for a new language.
import { $, el } from "../dom.js";
import { constant, entries } from "../vocabulary.js";

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


/** The longest texts, as the server takes them (data-max names the constant). */
function limitLengths() {
  for (const input of $("incident-form").querySelectorAll("[data-max]")) {
    const max = constant(input.dataset.max);
    if (max) input.maxLength = max;
  }
}

/** Draw the options (unticked: js/incidents/form.js keeps what was ticked). */
export function render() {
  $("incident-type-options").replaceChildren(...entries("behaviour_types").map(typeCard));
  $("incident-kinds-options").replaceChildren(...entries("kinds").map((e) => choice("checkbox", "incident-kind", e)));
  $("incident-channel-options").replaceChildren(...entries("channels").map((e) => choice("radio", "incident-channel", e)));
  limitLengths();
}
