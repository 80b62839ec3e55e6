// Start Swagger UI on /docs (kept out of the HTML so the page needs no inline script).
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var target = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
