// The bottom navigation of managers and the coordinator (Overzicht · Te doen · Register ·
// Team): an entry for each screen the user's capabilities allow (its data-needs); none at all
// for someone who has only the home screen.
import { can } from "./capabilities.js";
import { $ } from "./dom.js";

export class TabBar {
  /** Show the entries `me` may use, marking the current screen's; me null hides the bar. */
  show(me, screen) {
    const bar = $("tab-bar");
    const tabs = [...bar.querySelectorAll("a[data-tab]")];
    let entries = 0;
    for (const tab of tabs) {
      const allowed = !tab.dataset.needs || can(me, tab.dataset.needs);
      tab.parentElement.hidden = !allowed;
      if (allowed) entries += 1;
      if (tab.dataset.tab === screen) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    bar.hidden = !me || entries < 2;
    document.body.classList.toggle("has-tab-bar", !bar.hidden);
  }
}
