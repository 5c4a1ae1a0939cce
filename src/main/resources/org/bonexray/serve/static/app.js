// bonexray page: uploads a study to /api/v1/studies and shows the verdict, per-view results, heatmaps
// and the model card. Same-origin requests only; every server text is inserted with textContent.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let files = [];
  const objectUrls = [];

  function authHeaders() {
    const t = $('token').value.trim();
    return t ? { Authorization: 'Bearer ' + t } : {};
  }

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function choose(list) {
    files = Array.from(list);
    $('chosen').textContent = files.length ? files.length + ' file(s): ' + files.map((f) => f.name).join(', ') : 'No file chosen.';
    $('predict').disabled = files.length === 0;
  }

  function pct(p) { return p == null ? 'n/a' : (100 * p).toFixed(1) + '%'; }

  async function fetchBlobUrl(url) {
    const r = await fetch(url, { headers: authHeaders() });
    if (!r.ok) { return null; }
    const u = URL.createObjectURL(await r.blob());
    objectUrls.push(u);
    return u;
  }

  function viewCard(file, image) {
    const card = document.createElement('div');
    card.className = 'view';
    const img = document.createElement('img');
    const original = URL.createObjectURL(file);
    objectUrls.push(original);
    img.src = original;
    img.alt = image.name;
    img.dataset.original = original;
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = image.name;
    const prob = document.createElement('div');
    prob.textContent = 'Probability of abnormality: ' + pct(image.probability);
    const bar = document.createElement('div');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = (100 * (image.probability || 0)).toFixed(1) + '%';
    bar.appendChild(fill);
    card.append(img, name, prob, bar);
    if (image.heatmap) {
      fetchBlobUrl(image.heatmap).then((u) => {
        if (u) { img.dataset.heatmap = u; applyToggle(); }
      });
    } else {
      const none = document.createElement('div');
      none.className = 'muted';
      none.textContent = 'No heatmap for this view.';
      card.appendChild(none);
    }
    return card;
  }

  function applyToggle() {
    const on = $('showHeatmaps').checked;
    document.querySelectorAll('#views img').forEach((img) => {
      img.src = on && img.dataset.heatmap ? img.dataset.heatmap : img.dataset.original;
    });
  }

  function showResult(body, sent) {
    objectUrls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    const v = $('verdict');
    v.className = body.label;
    v.textContent = (body.label === 'abnormal' ? 'ABNORMAL' : 'Normal') + ': study probability ' + pct(body.probability)
      + (body.label === 'abnormal' ? ' > ' : ' <= ') + 'threshold ' + pct(body.threshold)
      + (body.body_part ? ' (' + body.body_part + ')' : '') + ', ' + body.images.length + ' view(s)';
    const views = $('views');
    views.replaceChildren(...body.images.map((image, i) => viewCard(sent[i], image)));
    $('result').hidden = false;
  }

  async function predict() {
    const sent = files.slice();
    const form = new FormData();
    sent.forEach((f) => form.append('images', f, f.name));
    if ($('bodyPart').value) { form.append('body_part', $('bodyPart').value); }
    setStatus('Predicting ' + sent.length + ' view(s)...', false);
    $('predict').disabled = true;
    try {
      const r = await fetch('/api/v1/studies', { method: 'POST', body: form, headers: authHeaders() });
      const body = await r.json();
      if (!r.ok) {
        setStatus('Refused (' + r.status + '): ' + (body.error ? body.error.message : 'error'), true);
        return null;
      }
      setStatus('Done.', false);
      showResult(body, sent);
      return body;
    } catch (e) {
      setStatus('The request failed: ' + e.message, true);
      return null;
    } finally {
      $('predict').disabled = files.length === 0;
    }
  }

  function term(dl, k, v) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }

  async function loadCard() {
    const r = await fetch('/api/v1/model', { headers: authHeaders() });
    if (!r.ok) { $('cardSummary').textContent = 'Model card unavailable (' + r.status + ').'; return; }
    const c = await r.json();
    const dl = $('cardSummary');
    dl.replaceChildren();
    term(dl, 'Model id', c.id);
    term(dl, 'Network', c.spec.variant.name + ', input ' + c.spec.inputSize + ' px');
    term(dl, 'Preprocessing', c.preprocessing.size + ' px, ' + c.preprocessing.resize + ', ' + c.preprocessing.normalization);
    term(dl, 'Threshold', String(c.threshold));
    term(dl, 'Study rule', c.study_rule);
    if (c.validation) {
      term(dl, 'Validation (study level)', 'epoch ' + c.validation.best_epoch + ' of ' + c.validation.epochs
        + ', AUROC ' + fmt(c.validation.validationAuroc) + ', kappa ' + fmt(c.validation.validationKappa));
    }
    if (c.training_data && c.training_data.counts) { term(dl, 'Training data', Object.entries(c.training_data.counts).map(([k, v]) => k + ' ' + v).join(', ')); }
    if (c.provenance && c.provenance.bonexray) { term(dl, 'Made by', 'bonexray ' + c.provenance.bonexray); }
    $('cardJson').textContent = JSON.stringify(c, null, 2);
  }

  function fmt(x) { return typeof x === 'number' ? x.toFixed(3) : 'n/a'; }

  // ?selftest=1: a scripted upload of the bundled test image (twice, as two views), heatmaps on;
  // the result is flagged on <body data-selftest> for headless checks.
  async function selftest() {
    const blob = await (await fetch('/selftest.png')).blob();
    choose([new File([blob], 'selftest-view1.png', { type: 'image/png' }), new File([blob], 'selftest-view2.png', { type: 'image/png' })]);
    $('bodyPart').value = 'WRIST';
    const body = await predict();
    $('showHeatmaps').checked = true;
    applyToggle();
    document.body.dataset.selftest = body ? 'done ' + body.label : 'failed';
  }

  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); choose(e.dataTransfer.files); });
  $('files').addEventListener('change', (e) => choose(e.target.files));
  $('predict').addEventListener('click', predict);
  $('showHeatmaps').addEventListener('change', applyToggle);
  $('token').addEventListener('change', loadCard);
  loadCard().then(() => {
    if (new URLSearchParams(location.search).get('selftest') === '1') { selftest(); }
  });
}());
