// tests/data/static/app.js — a script served by the static-file tests.
document.querySelector('h1').textContent += ' work';
