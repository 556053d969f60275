// Door check-in: scan the booking's QR with the camera (BarcodeDetector), else type the code.
// No libraries; on browsers without BarcodeDetector the manual form is all there is.
(function () {
  "use strict";
  var status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start");
  var video = document.getElementById("camera");
  var form = document.getElementById("checkin-form");
  var field = document.getElementById("checkin-code");
  if (!status || !form) { return; }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = status.dataset.unsupported;
    return;
  }
  start.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      status.textContent = status.dataset.scanning;
      return video.play().then(function () { scan(detector, stream); });
    }).catch(function () { status.textContent = status.dataset.unsupported; });
  });
  function scan(detector, stream) {
    detector.detect(video).then(function (codes) {
      if (codes.length > 0 && codes[0].rawValue) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        field.value = codes[0].rawValue;
        form.submit();
        return;
      }
      window.setTimeout(function () { scan(detector, stream); }, 250);
    }).catch(function () { window.setTimeout(function () { scan(detector, stream); }, 500); });
  }
})();
