// Refuses a file larger than the server takes at its field, before the browser sends it: a
// 2 GB upload would otherwise be cut off by the server without a page the user can read.
// While a file is sent it shows how far the upload is and then that the server is checking it:
// a 10 MB import on a slow line takes a while, and a page that seems to do nothing invites a
// second click. Progressive enhancement only: without the script the form is sent as usual and
// the server checks every upload itself.
// In a function, not at the top level: the page that an upload's answer writes over this one
// loads the script again into the same window, where a second top-level `const` would fail.
(() => {
  'use strict';
  // The texts come from the server's message catalogue, in the page's language (web/layout.cpp).
  const texts = document.currentScript?.dataset || {};

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

  // Below the form's buttons: the phase in a polite live region (announced once per phase, not
  // per percent), the bar with the percentage for those who look.
  function progressElement(form) {
    let element = form.querySelector('.upload-progress');
    if (!element) {
      element = document.createElement('div');
      element.className = 'upload-progress';
      const phase = document.createElement('p');
      phase.className = 'kern-body upload-progress__phase';
      phase.id = `${form.querySelector('input[type="file"]').id}-fortschritt`;
      phase.setAttribute('role', 'status');
      const bar = document.createElement('progress');
      bar.className = 'upload-progress__bar';
      bar.max = 100;
      bar.setAttribute('aria-labelledby', phase.id);
      element.append(phase, bar);
      form.append(element);
    }
    return element;
  }

  // The server's answer replaces the page, as a normal form submission would; after a redirect
  // the address bar shows where the server sent the browser.
  function showResponse(request) {
    const address = request.responseURL;
    document.open();
    document.write(request.responseText);
    document.close();
    if (address && address !== window.location.href) window.history.replaceState(null, '', address);
  }

  function sendWithProgress(form, submitter) {
    const element = progressElement(form);
    const phase = element.querySelector('.upload-progress__phase');
    const bar = element.querySelector('.upload-progress__bar');
    const buttons = form.querySelectorAll('button[type="submit"]');
    const busy = (value) => buttons.forEach((button) => { button.disabled = value; });
    const number = new Intl.NumberFormat(document.documentElement.lang || 'de', { style: 'percent' });
    element.hidden = false;
    phase.textContent = texts.sending || '';
    bar.value = 0;
    bar.textContent = number.format(0);
    busy(true);
    const request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      bar.value = Math.floor((event.loaded / event.total) * 100);
      bar.textContent = number.format(event.loaded / event.total);
    });
    request.upload.addEventListener('load', () => {
      // Without a value the bar is indeterminate: the server is working, nobody knows how long.
      bar.removeAttribute('value');
      phase.textContent = texts.checking || '';
    });
    request.addEventListener('load', () => {
      if ((request.getResponseHeader('Content-Type') || '').startsWith('text/html')) showResponse(request);
      else form.submit();
    });
    request.addEventListener('error', () => {
      bar.hidden = true;
      phase.textContent = texts.failed || '';
      busy(false);
    });
    request.send(new FormData(form, submitter));
  }

  for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
    input.addEventListener('change', () => check(input));
    // The forms are novalidate (the server's messages are the ones shown), so the check runs on
    // submit as well.
    input.form?.addEventListener('submit', (event) => {
      if (!check(input)) {
        event.preventDefault();
        input.focus();
        return;
      }
      if (!input.files?.length || typeof FormData !== 'function') return;
      event.preventDefault();
      sendWithProgress(input.form, event.submitter);
    });
  }
})();
