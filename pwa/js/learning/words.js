// The learning lists of the server's vocabulary (plan kinds, states, outcomes, cause
// decisions) as a select's options; the PWA keeps no copy of them.
import { entries } from "../vocabulary.js";

/** [[code, label]] of the vocabulary's list `name`; [] until the vocabulary is here. */
export const choices = (name, keep = () => true) =>
  entries(name).filter(keep).map((entry) => [entry.code, entry.label]);
