// A "Print" button for pages that are meant to be printed (the course certificate).
// Without JavaScript the button stays hidden and the browser's print menu does the same.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
