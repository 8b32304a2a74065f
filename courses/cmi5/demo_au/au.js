// A tiny cmi5 assignable unit in plain JavaScript (cmi5 sections 8-11): it reads the launch
// parameters, redeems the fetch URL once, reads LMS.LaunchData and the learner preferences,
// then sends initialized, completed and terminated, and returns to the LMS.
(function () {
  "use strict";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var query = new URLSearchParams(window.location.search);
  var endpoint = query.get("endpoint");
  var actor = JSON.parse(query.get("actor"));
  var registration = query.get("registration");
  var activityId = query.get("activityId");
  var status = document.getElementById("status");
  var button = document.getElementById("finish");
  var headers, launchData, started;

  function uuid() {
    // RFC 4122 version 4 from getRandomValues (randomUUID needs a secure context).
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function xapi(path, options) {
    options = options || {};
    options.headers = Object.assign({}, headers, options.headers || {});
    return fetch(endpoint + path, options);
  }

  function statement(verb, result) {
    var template = launchData.contextTemplate;
    var categories = [{ id: CMI5 }];
    if (verb === "completed") categories.push({ id: MOVEON });
    var body = {
      id: uuid(),
      timestamp: new Date().toISOString(),
      actor: actor,
      verb: { id: "http://adlnet.gov/expapi/verbs/" + verb, display: { "en-US": verb } },
      object: { objectType: "Activity", id: activityId },
      context: {
        registration: registration,
        contextActivities: Object.assign({}, template.contextActivities, { category: categories }),
        extensions: template.extensions
      }
    };
    if (result) body.result = result;
    return body;
  }

  function send(statements) {
    return xapi("/statements", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(statements)
    }).then(function (response) {
      if (!response.ok) throw new Error("The LMS refused a statement: " + response.status);
    });
  }

  function duration() {
    return "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S";
  }

  fetch(query.get("fetch"), { method: "POST" })
    .then(function (response) { return response.json(); })
    .then(function (body) {
      if (!body["auth-token"]) throw new Error("The fetch URL gave no token.");
      headers = {
        Authorization: "Basic " + body["auth-token"],
        "X-Experience-API-Version": "1.0.3"
      };
      var agent = encodeURIComponent(JSON.stringify(actor));
      return xapi(
        "/activities/state?stateId=LMS.LaunchData&activityId=" + encodeURIComponent(activityId) +
          "&agent=" + agent + "&registration=" + encodeURIComponent(registration)
      )
        .then(function (response) { return response.json(); })
        .then(function (data) {
          launchData = data;
          // Read before initialized, as cmi5 11 asks; a 404 (no preferences yet) is fine.
          return xapi("/agents/profile?profileId=cmi5LearnerPreferences&agent=" + agent);
        });
    })
    .then(function () {
      started = Date.now();
      return send([statement("initialized")]);
    })
    .then(function () {
      status.textContent = "Ready. Select the button when you have read the page.";
      button.disabled = false;
    })
    .catch(function (error) {
      status.textContent = "This course could not start: " + error.message;
    });

  button.addEventListener("click", function () {
    button.disabled = true;
    var finish = [statement("terminated", { duration: duration() })];
    if (launchData.launchMode === "Normal") {
      finish.unshift(statement("completed", { completion: true, duration: duration() }));
    }
    send(finish)
      .then(function () { window.location.href = launchData.returnURL; })
      .catch(function (error) { status.textContent = error.message; });
  });
})();
