// Refuses a file over the upload limit before it is sent: the server
// checks again, but a browser cut off mid-upload shows no page at all.
(function () {
  var input = document.getElementById("file");
  if (!input) return;
  var max = parseInt(input.getAttribute("data-max-bytes"), 10);
  input.addEventListener("change", function () {
    var f = input.files && input.files[0];
    input.setCustomValidity(f && f.size > max ? input.getAttribute("data-too-large") : "");
    input.reportValidity();
  });
  input.form.addEventListener("submit", function (e) {
    if (!input.checkValidity()) {
      e.preventDefault();
      input.reportValidity();
    }
  });
})();
