// How the Beheer screen says a person's fields and their changes, in the user's language:
// the field's name, a value (a role or function group by the server's label, yes or no, a list),
// and "field: before → after" as the change log and the import's report write them.
import { t } from "../i18n.js";
import { label } from "../vocabulary.js";

/** The vocabulary list a field's codes come from, if any. */
const LISTS = { role: "roles", function_group: "function_groups" };

export const fieldName = (field) => t(`admin.field.${field}`);

/** A value as a person reads it: a dash for none, yes or no, a list joined, a code's label. */
export function valueText(field, value) {
  if (value === null || value === undefined || value === "") return t("admin.value.none");
  if (typeof value === "boolean") return t(value ? "admin.value.yes" : "admin.value.no");
  if (Array.isArray(value)) return value.length ? value.join(", ") : t("admin.value.none");
  return LISTS[field] ? label(LISTS[field], value) : String(value);
}

/** ["naam: Sanne → Sanne Jansen", …] for the fields of `after`; "naam: Sanne" with no `before`. */
export function changeTexts(before, after) {
  return Object.keys(after || {}).map((field) => (before ? t("admin.change.field", {
    field: fieldName(field),
    before: valueText(field, before[field]),
    after: valueText(field, after[field]),
  }) : t("admin.change.set", { field: fieldName(field), value: valueText(field, after[field]) })));
}

export const actionText = (action) => t(`admin.action.${action}`);
