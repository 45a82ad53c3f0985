// A new version keeps the id of every statement whose text is unchanged: its answers stay
// comparable over time; a changed or new line is sent without one, for the server to number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { groupsFrom } from "../../pwa/js/learning/instrument-editor.js";

const instrument = {
  groups: [{ key: "grenzen", title: "Stellen van grenzen", statements: [
    { id: "grenzen-1", text: "Ik benoem de norm" },
    { id: "grenzen-2", text: "Ik houd vast aan een grens" },
  ] }],
};

test("unchanged lines keep their id, new and changed lines get none, blank lines go", () => {
  const lines = "Ik houd vast aan een grens\n\n  Ik benoem de teamnorm \nIk benoem de norm";
  assert.deepEqual(groupsFrom(instrument, () => lines), [{
    key: "grenzen", title: "Stellen van grenzen", statements: [
      { id: "grenzen-2", text: "Ik houd vast aan een grens" },
      { text: "Ik benoem de teamnorm" },
      { id: "grenzen-1", text: "Ik benoem de norm" },
    ],
  }]);
});
