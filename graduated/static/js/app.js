// Progressive enhancement for every page. Pages work without it: it only adds behaviour.
import { initAll as initGovuk } from "./vendor/govuk-frontend.min.js";
import { initAll as initMoj } from "./vendor/moj-frontend.min.js";

// A browser that runs an ES module supports everything GOV.UK Frontend needs.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// Content that htmx swaps in later gets the same components.
document.addEventListener("htmx:load", (event) => {
  const element = event.detail && event.detail.elt;
  if (element instanceof Element && element !== document.body) {
    initGovuk(element);
    initMoj(element);
  }
});
