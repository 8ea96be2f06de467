// The inline stylesheet and script of report.html. Static text: nothing from a run goes in
// here, so the page's Content-Security-Policy can pin both by hash. The script only adds the
// failures filter and the search on top of a page that is complete without it.

export const HTML_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--mute:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--pass:#1a7f37;--fail:#cf222e;--err:#9a6700;--flaky:#8250df;--skip:#59636e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9198a1;--line:#3d444d;
--card:#151b23;--pass:#3fb950;--fail:#f85149;--err:#d29922;--flaky:#ab7df8;--skip:#9198a1}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0 auto;max-width:1200px;padding:16px 24px 48px;background:var(--bg);color:var(--fg);
font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
h1{font-size:24px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;background:var(--card);border:1px solid var(--line);
border-radius:6px;padding:8px;margin:4px 0;max-height:480px;overflow:auto}
.muted{color:var(--mute)}
.verdict{border-left:6px solid;padding:4px 16px;margin:8px 0 16px;background:var(--card);border-radius:6px}
.v-passed{border-color:var(--pass)}.v-failed{border-color:var(--fail)}.v-incomplete{border-color:var(--err)}
ul.gate{padding-left:20px;margin:4px 0}
.ok{color:var(--pass)}.bad{color:var(--fail)}.warn{color:var(--err)}
.slot:empty{display:none}
.controls{position:sticky;top:0;z-index:1;display:flex;gap:16px;align-items:center;flex-wrap:wrap;
padding:8px 0;background:var(--bg);border-bottom:1px solid var(--line)}
.controls input[type=search]{min-width:280px;padding:4px 8px;font:inherit;color:inherit;
background:var(--card);border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid var(--line);padding:2px 8px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}
td.c{text-align:center}
.suite>h2 .meta{font-size:13px;font-weight:400}
details.t{border:1px solid var(--line);border-radius:6px;margin:4px 0;background:var(--bg)}
details.t>summary{cursor:pointer;padding:4px 8px;list-style-position:inside}
details.t[open]>summary{border-bottom:1px solid var(--line);background:var(--card)}
details.t>div{padding:6px 12px}
.o{display:inline-block;min-width:64px;font-weight:600}
.o-passed{color:var(--pass)}.o-failed{color:var(--fail)}.o-error{color:var(--err)}
.o-flaky{color:var(--flaky)}.o-skipped{color:var(--skip)}
.why{color:var(--mute)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 6px;font-size:12px}
.reg{color:var(--fail);border-color:var(--fail)}
`;

export const HTML_SCRIPT = `
(function(){
var controls=document.getElementById('controls');
var failures=document.getElementById('only-failures');
var search=document.getElementById('search');
var shown=document.getElementById('shown');
var tests=[].slice.call(document.querySelectorAll('details.t'));
var suites=[].slice.call(document.querySelectorAll('section.suite'));
var keys=tests.map(function(t){return (t.closest('section.suite').dataset.name+' \\u203a '+t.querySelector('.n').textContent).toLowerCase();});
function apply(){
  var q=search.value.trim().toLowerCase(),only=failures.checked,n=0;
  tests.forEach(function(t,i){
    var show=(!only||t.classList.contains('f'))&&(!q||keys[i].indexOf(q)!==-1);
    t.hidden=!show;if(show)n++;
  });
  suites.forEach(function(s){s.hidden=!s.querySelector('details.t:not([hidden])');});
  shown.textContent=n+' of '+tests.length+' tests shown';
}
failures.addEventListener('change',apply);
search.addEventListener('input',apply);
controls.hidden=false;
apply();
})();
`;
