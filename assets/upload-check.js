// Refuses a file larger than the server takes at its field, before the browser sends it: a
// 2 GB upload would otherwise be cut off by the server without a page the user can read.
// Progressive enhancement only: the server checks every upload itself.
'use strict';

function formatSize(bytes, language) {
  const units = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]];
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  for (const [unit, size] of units) {
    if (bytes >= size) return `${number.format(bytes / size)} ${unit}`;
  }
  return `${number.format(bytes)} Byte`;
}

// The message in the same markup as the server's messages at a field (web/forms.cpp).
function messageElement(input) {
  const id = `${input.id}-groesse`;
  let element = document.getElementById(id);
  if (!element) {
    element = document.createElement('p');
    element.id = id;
    element.className = 'kern-error';
    element.setAttribute('role', 'alert');
    const icon = document.createElement('span');
    icon.className = 'kern-icon kern-icon--danger';
    icon.setAttribute('aria-hidden', 'true');
    const text = document.createElement('span');
    text.className = 'kern-body';
    element.append(icon, text);
    input.before(element);
  }
  return element;
}

function describedBy(input, id, present) {
  const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((each) => each && each !== id);
  if (present) ids.push(id);
  if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
  else input.removeAttribute('aria-describedby');
}

function check(input) {
  const limit = Number(input.dataset.maxBytes);
  const language = document.documentElement.lang || 'de';
  const tooLarge = Array.from(input.files || []).find((file) => file.size > limit);
  // A message the server put at the field stays; only this check's own marks come and go.
  const serverError = Boolean(document.getElementById(`${input.id}-fehler`));
  const text = tooLarge
    ? input.dataset.tooLarge.replace('{datei}', tooLarge.name).replace('{groesse}', formatSize(tooLarge.size, language))
    : '';
  const id = `${input.id}-groesse`;
  // Removed rather than hidden: KERN's .kern-error sets its own display.
  if (tooLarge) messageElement(input).querySelector('.kern-body').textContent = text;
  else document.getElementById(id)?.remove();
  input.setCustomValidity(text);
  const invalid = Boolean(tooLarge) || serverError;
  input.classList.toggle('kern-form-input__input--error', invalid);
  input.closest('.kern-form-input')?.classList.toggle('kern-form-input--error', invalid);
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  describedBy(input, id, Boolean(tooLarge));
  return !tooLarge;
}

for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
  input.addEventListener('change', () => check(input));
  // The forms are novalidate (the server's messages are the ones shown), so the check runs on
  // submit as well.
  input.form?.addEventListener('submit', (event) => {
    if (!check(input)) {
      event.preventDefault();
      input.focus();
    }
  });
}
