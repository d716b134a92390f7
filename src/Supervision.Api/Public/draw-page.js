// Runs draw-verify.js on the public draw pages, in the browser alone: the record is fetched (or read from the URL fragment,
// which never reaches the server) and checked against the published hashes with WebCrypto. No verdict comes from the server.
(function () {
  'use strict';
  function show(el, matches, text, part) {
    el.textContent = text;
    el.setAttribute('data-result', matches === null ? 'none' : matches ? 'match' : 'mismatch');
    el.setAttribute('data-part', part || '');
  }

  async function verifyInto(el, record, expectCommitment, expectRecord) {
    show(el, null, '正在浏览器内验证…', '');
    var started = Date.now();
    var verdict = await globalThis.verifyDrawRecord(record, { expectCommitment: expectCommitment || undefined, expectRecord: expectRecord || undefined });
    var seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (verdict.matches) show(el, true, '验证通过（MATCH，' + seconds + ' 秒）：记录与公布的承诺值和记录哈希一致，抽取结果可由记录复现。', '');
    else show(el, false, '验证失败（MISMATCH）：' + verdict.part + '：' + verdict.message, verdict.part);
  }

  function fromFragment() {
    // #record=<base64url of the JSON>&commitment=<hex>&recordSha256=<hex>
    var fragment = new URLSearchParams(location.hash.slice(1));
    var encoded = fragment.get('record');
    if (!encoded) return null;
    var base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
    var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    return { record: new TextDecoder().decode(bytes), commitment: fragment.get('commitment'), recordSha256: fragment.get('recordSha256') };
  }

  async function main() {
    var el = document.getElementById('verdict');
    if (!el) return;
    try {
      var given = fromFragment();
      if (given) return await verifyInto(el, given.record, given.commitment, given.recordSha256);
      var url = el.getAttribute('data-record-url');
      if (!url) {
        var button = document.getElementById('verify-pasted');
        if (button) button.addEventListener('click', function () {
          verifyInto(el, document.getElementById('record').value,
            document.getElementById('commitment').value.trim(), document.getElementById('record-sha256').value.trim())
            .catch(function (e) { show(el, false, '无法读取记录：' + e.message, 'record'); });
        });
        return;
      }
      var response = await fetch(url, { headers: { Accept: 'application/json' } });
      if (!response.ok) return show(el, null, '抽取记录尚未公开（部门设置为检查开始时公开）；记录哈希已在上方公布。', '');
      await verifyInto(el, await response.text(), el.getAttribute('data-commitment'), el.getAttribute('data-record-sha256'));
    } catch (e) {
      show(el, false, '无法验证：' + e.message, 'record');
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
  else main();
})();
