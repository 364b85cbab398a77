// Call review: waveform with markers, click-to-seek, current-word highlight, the transcript following playback,
// comment times from the player, confirmation before finalising.
(function () {
  "use strict";

  function setup() {
    var player = document.getElementById("player");
    if (!player) return;
    var audio = player.querySelector("audio");
    var canvas = player.querySelector("canvas.waveform");
    var data = JSON.parse(player.querySelector(".waveform-data").textContent || "{}");
    var duration = parseFloat(player.dataset.duration) || 0;
    var spans = Array.prototype.map.call(player.querySelectorAll(".marker"), function (marker) {
      return {start: parseFloat(marker.dataset.seek), end: parseFloat(marker.dataset.end), kind: marker.className};
    });

    function draw() {
      var width = canvas.clientWidth || 800, height = canvas.height;
      canvas.width = width;
      var context = canvas.getContext("2d");
      context.clearRect(0, 0, width, height);
      spans.forEach(function (span) {
        context.fillStyle = span.kind.indexOf("dead-air") >= 0 ? "rgba(161,92,0,.18)"
          : span.kind.indexOf("overtalk") >= 0 ? "rgba(179,38,30,.22)"
          : span.kind.indexOf("minus") >= 0 ? "rgba(179,38,30,.12)" : "rgba(27,127,75,.14)";
        var x = span.start / duration * width, w = Math.max(2, (span.end - span.start) / duration * width);
        context.fillRect(x, 0, w, height);
      });
      var rows = (data.channels || []), rowHeight = height / Math.max(1, rows.length);
      rows.forEach(function (peaks, row) {
        var middle = rowHeight * row + rowHeight / 2;
        context.fillStyle = row === 0 ? "#1f5f8b" : "#5b6677";
        for (var x = 0; x < width; x++) {
          var value = peaks[Math.floor(x / width * peaks.length)] || 0;
          var h = Math.max(1, value * (rowHeight / 2 - 2));
          context.fillRect(x, middle - h, 1, 2 * h);
        }
      });
      if (duration) {
        context.fillStyle = "#1d2430";
        context.fillRect(audio.currentTime / duration * width, 0, 2, height);
      }
    }

    function seek(seconds) {
      audio.currentTime = Math.max(0, seconds);
      audio.play().catch(function () {});
    }

    canvas.addEventListener("click", function (event) {
      var box = canvas.getBoundingClientRect();
      seek((event.clientX - box.left) / box.width * duration);
    });
    document.addEventListener("click", function (event) {
      var target = event.target.closest("[data-seek]");
      if (target) { seek(parseFloat(target.dataset.seek)); return; }
      var word = event.target.closest(".word");
      if (word) seek(parseFloat(word.dataset.start));
    });

    var current = null, playing = null;

    function segmentAt(now) {
      var segments = document.querySelectorAll(".transcript .segment[data-start]");
      for (var i = 0; i < segments.length; i++) {
        if (parseFloat(segments[i].dataset.start) <= now && now <= parseFloat(segments[i].dataset.end)) return segments[i];
      }
      return null;
    }

    // the segment being heard is marked and scrolled into the transcript's view, without moving the page
    function followSegment(segment) {
      if (!segment || segment === playing) return;
      if (playing) playing.classList.remove("playing");
      segment.classList.add("playing");
      playing = segment;
      var box = segment.closest(".transcript");
      if (box) box.scrollTop = Math.max(0, segment.offsetTop - box.clientHeight / 3);
    }
    audio.addEventListener("timeupdate", function () {
      var now = audio.currentTime, found = null;
      var words = document.querySelectorAll(".transcript .word");
      for (var i = 0; i < words.length; i++) {
        if (parseFloat(words[i].dataset.start) <= now && now < parseFloat(words[i].dataset.end) + 0.05) { found = words[i]; break; }
      }
      if (found !== current) {
        if (current) current.classList.remove("current");
        if (found) { found.classList.add("current"); }
        current = found;
      }
      followSegment(found ? found.closest(".segment") : segmentAt(now));
      var at = document.querySelector(".comment-at");
      if (at && document.activeElement !== at) at.value = now.toFixed(1);
      draw();
    });
    window.addEventListener("resize", draw);
    draw();
  }

  // Finalise (and any form marked data-confirm) asks first: a finalised scorecard cannot be changed
  document.addEventListener("submit", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-confirm]") : null;
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
