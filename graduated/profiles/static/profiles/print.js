// Progressive enhancement: with JavaScript, show a button that opens the browser's print dialogue.
const button = document.querySelector("[data-print-button]");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
