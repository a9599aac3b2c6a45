// The signature pad of the LOA: draws with a finger, a pen or a mouse
// (pointer events), and writes the drawing as a PNG data URL into the
// form's hidden "image" field. Without script the pad stays hidden and
// the signer signs by typing their name.
(function () {
  "use strict";
  var box = document.getElementById("sig-drawn");
  var pad = document.getElementById("sig-pad");
  var image = document.getElementById("image");
  var drawn = document.getElementById("kind-drawn");
  if (!box || !pad || !image || !drawn || !pad.getContext) { return; }
  box.hidden = false;
  var ctx = pad.getContext("2d");
  ctx.lineWidth = 3;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = "#1f2937";
  var drawing = false;

  // point maps a pointer's position to the canvas, which CSS scales.
  function point(e) {
    var r = pad.getBoundingClientRect();
    return { x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height };
  }
  pad.addEventListener("pointerdown", function (e) {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    drawing = true;
    drawn.checked = true;
    var p = point(e);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(p.x + 0.1, p.y + 0.1);
    ctx.stroke();
  });
  pad.addEventListener("pointermove", function (e) {
    if (!drawing) { return; }
    e.preventDefault();
    var p = point(e);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
  });
  function end() {
    if (!drawing) { return; }
    drawing = false;
    image.value = pad.toDataURL("image/png");
  }
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  document.getElementById("sig-clear").addEventListener("click", function () {
    ctx.clearRect(0, 0, pad.width, pad.height);
    // A drawn signature cleared is sent without its image, and the
    // server asks for one.
    image.value = "";
  });
})();
