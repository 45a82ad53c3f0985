"""Pre-visit risk checklists ("checklist huisbezoek"): versioned data per function group,
and the rules that turn answers into a risk level with advice."""
