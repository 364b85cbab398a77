// The role-play player in the browser: speak the customer's line, record a reply with
// MediaRecorder and upload it (with the CSRF token) for transcription. Typing works without it.
(function () {
  "use strict";

  var MAX_SECONDS = 170; // the server refuses replies over three minutes
  var spoken = {};
  var recorder = null;
  var timer = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function status(message) {
    var box = document.querySelector("#current .record-status");
    if (box) box.textContent = message;
  }

  function buttons() {
    var current = document.getElementById("current");
    if (!current) return {};
    return {
      record: current.querySelector('[data-action="record"]'),
      stop: current.querySelector('[data-action="stop"]'),
      box: current.querySelector(".recorder")
    };
  }

  // --- the customer's voice ----------------------------------------------------------------

  function speak(line) {
    if (!line) return;
    var url = line.getAttribute("data-audio-url");
    if (url) {
      var audio = new Audio(url);
      audio.play().catch(function () { /* autoplay refused: the "Hear it again" button works */ });
      return;
    }
    if (!("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(line.textContent.trim());
    utterance.lang = document.documentElement.lang || "en";
    window.speechSynthesis.speak(utterance);
  }

  function speakNewLine() {
    var line = document.getElementById("customer-line");
    if (!line || line.getAttribute("data-channel") !== "voice") return;
    var id = line.getAttribute("data-line-id");
    if (spoken[id]) return;
    spoken[id] = true;
    speak(line);
  }

  // --- recording a reply -------------------------------------------------------------------

  function pendingReply() {
    return document.querySelector("#turns [data-reply-pending] .job:not(.job-failed), #turns [data-reply-pending] [hx-trigger='load']");
  }

  function refreshButtons() {
    var b = buttons();
    if (!b.record) return;
    var busy = Boolean(recorder) || Boolean(pendingReply());
    b.record.disabled = busy;
    b.stop.disabled = !recorder;
  }

  function preferredType() {
    var types = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
    for (var i = 0; i < types.length; i++) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported(types[i])) return types[i];
    }
    return "";
  }

  function startRecording() {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      status("This browser cannot record audio here. Type your reply instead.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var type = preferredType();
      var chunks = [];
      var started = Date.now();
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      recorder.addEventListener("dataavailable", function (event) {
        if (event.data && event.data.size) chunks.push(event.data);
      });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        clearInterval(timer);
        var blob = new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" });
        recorder = null;
        upload(blob);
      });
      recorder.start();
      status("Recording… 0 s");
      timer = setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        status("Recording… " + seconds + " s");
        if (seconds >= MAX_SECONDS && recorder) recorder.stop();
      }, 500);
      refreshButtons();
    }).catch(function (error) {
      status("The microphone is not available (" + error.name + "). Allow it in the browser, or type your reply.");
    });
  }

  function stopRecording() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  function upload(blob) {
    var b = buttons();
    if (!b.box) return;
    refreshButtons();
    if (!blob.size) {
      status("Nothing was recorded. Check the microphone and try again, or type your reply.");
      return;
    }
    status("Sending your recording…");
    var form = new FormData();
    var extension = blob.type.indexOf("ogg") >= 0 ? "ogg" : blob.type.indexOf("mp4") >= 0 ? "m4a" : "webm";
    form.append("audio", blob, "reply." + extension);
    fetch(b.box.getAttribute("data-upload-url"), {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (html) {
        if (!response.ok) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          status(holder.textContent.trim() || "The recording was not accepted. Type your reply instead.");
          return;
        }
        status("Transcribing your reply…");
        var turns = document.getElementById("turns");
        turns.insertAdjacentHTML("beforeend", html);
        htmx.process(turns.lastElementChild);
        refreshButtons();
      });
    }).catch(function () {
      status("The recording could not be sent (network). Try again, or type your reply.");
    });
  }

  // --- wiring ------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || !document.getElementById("current")) return;
    var action = target.getAttribute("data-action");
    if (action === "speak") speak(document.getElementById("customer-line"));
    if (action === "record") startRecording();
    if (action === "stop") stopRecording();
  });

  document.addEventListener("DOMContentLoaded", function () {
    speakNewLine();
    refreshButtons();
  });

  // htmx:load fires for every piece of content htmx puts in the page (a scored turn, a job's progress).
  document.addEventListener("htmx:load", function (event) {
    if (event.target.matches && event.target.matches("article.turn")) {
      document.querySelectorAll("#turns [data-reply-pending]").forEach(function (box) {
        if (box.querySelector(".job-failed")) box.remove();
      });
      status("");
    } else if (event.target.matches && event.target.matches(".job-failed")) {
      status("Record again, or type your reply.");
    }
    speakNewLine();
    refreshButtons();
  });
})();
