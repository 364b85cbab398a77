// The role-play player in the browser: play the customer's line (audio made by the server), and record a reply.
// Recording streams 16 kHz PCM to the server while the trainee speaks (an AudioWorklet), with a level meter, so
// the reply is mostly transcribed by Stop; where that is not possible it records with MediaRecorder and uploads
// at Stop. Typing works without either.
(function () {
  "use strict";

  var MAX_SECONDS = 170; // the server refuses replies over three minutes
  var spoken = {};
  var take = null; // the reply being recorded: {stop: function}
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
      box: current.querySelector(".recorder"),
      meter: current.querySelector(".level-meter")
    };
  }

  // --- the customer's voice ----------------------------------------------------------------

  function voiceStatus(message, failed) {
    var box = document.querySelector("#current .voice-status");
    if (!box) return;
    box.textContent = message;
    box.classList.toggle("voice-failed", Boolean(failed));
  }

  function playLine() {
    var audio = document.getElementById("customer-audio");
    if (!audio) return;
    if (audio.error) {
      voiceFailed();
      return;
    }
    audio.currentTime = 0;
    voiceStatus("Playing the customer's voice…");
    audio.play().catch(function (error) {
      if (error.name === "NotAllowedError") voiceStatus("The browser held the customer's voice back: press “Hear it again”.");
      else voiceFailed();
    });
  }

  function voiceFailed() {
    voiceStatus("The customer's voice could not be played: read the line above, or press “Hear it again” to retry.", true);
    var audio = document.getElementById("customer-audio");
    if (audio && audio.error) audio.load(); // "Hear it again" fetches it anew
  }

  function playNewLine() {
    var line = document.getElementById("customer-line");
    if (!line || line.getAttribute("data-channel") !== "voice") return;
    var id = line.getAttribute("data-line-id");
    if (spoken[id]) return;
    spoken[id] = true;
    playLine();
  }

  // error does not bubble: listen in the capture phase for the player's audio element
  document.addEventListener("error", function (event) {
    if (event.target && event.target.id === "customer-audio") voiceFailed();
  }, true);
  document.addEventListener("ended", function (event) {
    if (event.target && event.target.id === "customer-audio") voiceStatus("");
  }, true);

  // --- recording a reply -------------------------------------------------------------------

  function pendingReply() {
    return document.querySelector("#turns [data-reply-pending] .job:not(.job-failed), #turns [data-reply-pending] [hx-trigger='load']");
  }

  function refreshButtons() {
    var b = buttons();
    if (!b.record) return;
    b.record.disabled = Boolean(take) || Boolean(pendingReply());
    b.stop.disabled = !take;
  }

  function showLevel(peak) {
    var meter = buttons().meter;
    if (meter) meter.value = Math.min(1, Math.sqrt(peak)); // square root: quiet speech still moves it
  }

  function startRecording() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status("This browser cannot record audio here. Type your reply instead.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var started = Date.now();
      var canStream = window.AudioWorkletNode && buttons().box.getAttribute("data-live-url");
      take = canStream ? streamedTake(stream) : uploadedTake(stream);
      status("Recording… 0 s");
      timer = setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        if (take) status("Recording… " + seconds + " s");
        if (seconds >= MAX_SECONDS && take) stopRecording();
      }, 500);
      refreshButtons();
    }).catch(function (error) {
      status("The microphone is not available (" + error.name + "). Allow it in the browser, or type your reply.");
    });
  }

  function stopRecording() {
    if (!take) return;
    var current = take;
    take = null;
    clearInterval(timer);
    showLevel(0);
    current.stop();
    refreshButtons();
  }

  function post(url, body, contentType) {
    var headers = { "X-CSRFToken": csrfToken(), "HX-Request": "true" };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: headers });
  }

  function refusal(response) {
    return response.text().then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      throw new Error(holder.textContent.trim() || "The recording was not accepted. Type your reply instead.");
    });
  }

  function showPending(html) {
    var turns = document.getElementById("turns");
    turns.insertAdjacentHTML("beforeend", html);
    htmx.process(turns.lastElementChild);
    refreshButtons();
  }

  // Streams PCM pieces in order as they come; at Stop sends the last one with final=1.
  function streamedTake(stream) {
    var box = buttons().box;
    var context = new AudioContext({ sampleRate: 16000 });
    var waiting = [];  // pieces not sent yet (Int16Array)
    var sent = 0;       // bytes the server has
    var sending = null; // the request in flight
    var audioUrl = null;
    var stopped = false; // Stop pressed
    var ended = false;   // the worklet posted its last piece
    var failed = false;
    var node = null;
    var source = null;

    function fail(error) {
      if (failed) return;
      failed = true;
      finishCapture();
      if (take) { take = null; clearInterval(timer); refreshButtons(); }
      status(error.message || "The recording could not be sent (network). Try again, or type your reply.");
    }

    function finishCapture() {
      stream.getTracks().forEach(function (track) { track.stop(); });
      if (source) source.disconnect();
      if (node) node.disconnect();
      context.close();
    }

    function pump(last) {
      if (failed || sending || !audioUrl || (!waiting.length && !last)) return;
      var pieces = waiting;
      waiting = [];
      var body = new Blob(pieces, { type: "application/octet-stream" });
      var url = audioUrl + "?offset=" + sent + (last ? "&final=1" : "");
      sending = post(url, body, "application/octet-stream").then(function (response) {
        if (!response.ok) return refusal(response);
        sent += body.size;
        sending = null;
        if (last) {
          status("Scoring your reply…");
          return response.text().then(showPending);
        }
        pump(ended);
      }).catch(fail);
    }

    post(box.getAttribute("data-live-url"), null).then(function (response) {
      if (!response.ok) return refusal(response);
      return response.json().then(function (job) { audioUrl = job.audio_url; pump(ended); });
    }).catch(fail);

    context.audioWorklet.addModule(box.getAttribute("data-worklet-url")).then(function () {
      source = context.createMediaStreamSource(stream);
      node = new AudioWorkletNode(context, "pcm-pieces");
      node.port.onmessage = function (event) {
        if (event.data.samples.length) waiting.push(event.data.samples);
        showLevel(event.data.peak);
        if (event.data.last) {
          ended = true;
          finishCapture();
          pump(true);
        } else {
          pump(false);
        }
      };
      source.connect(node);
      if (stopped) node.port.postMessage("flush");
    }).catch(fail);

    return {
      stop: function () {
        stopped = true;
        status("Sending the end of your reply…");
        if (node) node.port.postMessage("flush");
      }
    };
  }

  // MediaRecorder: the whole reply uploaded at Stop.
  function uploadedTake(stream) {
    var types = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
    var type = "";
    for (var i = 0; i < types.length && !type; i++) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported(types[i])) type = types[i];
    }
    var chunks = [];
    var recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    recorder.addEventListener("dataavailable", function (event) {
      if (event.data && event.data.size) chunks.push(event.data);
    });
    recorder.addEventListener("stop", function () {
      stream.getTracks().forEach(function (track) { track.stop(); });
      upload(new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" }));
    });
    recorder.start();
    return { stop: function () { if (recorder.state !== "inactive") recorder.stop(); } };
  }

  function upload(blob) {
    var b = buttons();
    if (!b.box) return;
    if (!blob.size) {
      status("Nothing was recorded. Check the microphone and try again, or type your reply.");
      return;
    }
    status("Sending your recording…");
    var form = new FormData();
    var extension = blob.type.indexOf("ogg") >= 0 ? "ogg" : blob.type.indexOf("mp4") >= 0 ? "m4a" : "webm";
    form.append("audio", blob, "reply." + extension);
    post(b.box.getAttribute("data-upload-url"), form).then(function (response) {
      if (!response.ok) return refusal(response);
      status("Transcribing your reply…");
      return response.text().then(showPending);
    }).catch(function (error) {
      status(error.message || "The recording could not be sent (network). Try again, or type your reply.");
    });
  }

  // --- wiring ------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || !document.getElementById("current")) return;
    var action = target.getAttribute("data-action");
    if (action === "speak") playLine();
    if (action === "record") startRecording();
    if (action === "stop") stopRecording();
  });

  document.addEventListener("DOMContentLoaded", function () {
    playNewLine();
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
    playNewLine();
    refreshButtons();
  });
})();
