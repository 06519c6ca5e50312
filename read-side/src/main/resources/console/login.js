// The console's login: the credentials go in a POST body, the service answers with an HttpOnly
// session cookie (never a secret in a URL, nothing in the page's storage).
"use strict";

document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = document.getElementById("token").value.trim();
  const body = token
    ? { token }
    : { username: document.getElementById("username").value, password: document.getElementById("password").value };
  const response = await fetch("api/session", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    document.getElementById("login-error").textContent = "Not valid credentials.";
    return;
  }
  const then = new URLSearchParams(location.search).get("then");
  // Only a path of this site: an address given in the query must not send the user elsewhere.
  location.assign(then && then.startsWith("/") && !then.startsWith("//") ? then : "/");
});
