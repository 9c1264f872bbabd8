/** The console's stylesheet, served as /admin/assets/console.css (the CSP allows no inline style). */
export const CONSOLE_CSS = `:root{color-scheme:light dark;
--bg:#f6f7f9;--surface:#fff;--sunk:#f0f2f5;--line:#e1e4e8;--line-strong:#c9ced6;--fg:#14181f;--muted:#59636e;
--accent:#2557d6;--accent-fg:#fff;--accent-soft:#e8eefc;--focus:#2557d6;
--ok:#1a7f37;--maint:#0b62c4;--minor:#8a5a00;--major:#b83f00;--critical:#c8102e;
--ok-soft:#e6f4ea;--maint-soft:#e5f0fc;--minor-soft:#fcf3dc;--major-soft:#fdebe0;--critical-soft:#fce8ea;
--shadow:0 1px 2px rgba(20,24,31,.06),0 1px 1px rgba(20,24,31,.04);--radius:10px}
@media (prefers-color-scheme:dark){:root{
--bg:#0e1116;--surface:#161b22;--sunk:#11151b;--line:#2a313b;--line-strong:#3b4450;--fg:#e6eaef;--muted:#9ba5b1;
--accent:#6f9bff;--accent-fg:#0b1020;--accent-soft:#1b2740;--focus:#8db0ff;
--ok:#4ac26b;--maint:#58a6ff;--minor:#e3b341;--major:#f0883e;--critical:#ff7b72;
--ok-soft:#12261a;--maint-soft:#102238;--minor-soft:#2a2110;--major-soft:#2d1a0e;--critical-soft:#301517;--shadow:none}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent);text-underline-offset:2px}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px;border-radius:4px}
h1,h2,h3{line-height:1.25;margin:0}
h1{font-size:1.45rem;font-weight:650;letter-spacing:-.01em}
h2{font-size:1.02rem;font-weight:620}
h3{font-size:.95rem;font-weight:620}
p{margin:.4rem 0}
code,kbd,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
kbd{border:1px solid var(--line-strong);border-bottom-width:2px;border-radius:4px;padding:0 .3em;background:var(--surface)}
.skip{position:absolute;left:-999px;top:0;background:var(--surface);padding:.5rem 1rem;z-index:9}.skip:focus{left:.5rem;top:.5rem}
.top{display:flex;align-items:center;gap:1rem;height:56px;padding:0 1.25rem;background:var(--surface);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:5}
.brand{display:flex;align-items:center;gap:.55rem;color:var(--fg);text-decoration:none;font-weight:650;letter-spacing:-.01em;white-space:nowrap}
.brand-mark{width:26px;height:26px;border-radius:7px;background:var(--accent);color:var(--accent-fg);display:grid;place-items:center}
.brand small{font-weight:500;color:var(--muted);font-size:.85rem}
.top .spacer{flex:1}
.who{display:flex;align-items:center;gap:.6rem;font-size:.88rem;color:var(--muted);min-width:0}
.who strong{color:var(--fg);font-weight:600;white-space:nowrap}
.role{font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em;border:1px solid var(--line-strong);border-radius:999px;padding:.05rem .5rem;color:var(--fg)}
.shell{display:grid;grid-template-columns:220px minmax(0,1fr);min-height:calc(100vh - 56px)}
.side{border-right:1px solid var(--line);background:var(--surface);padding:1rem .75rem}
.side ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:2px}
.side a{display:flex;align-items:center;gap:.6rem;padding:.45rem .65rem;border-radius:7px;color:var(--fg);text-decoration:none;font-weight:500}
.side a:hover{background:var(--sunk)}
.side a[aria-current=page]{background:var(--accent-soft);color:var(--fg);font-weight:620}
.side a svg{color:var(--muted);flex:none}.side a[aria-current=page] svg{color:var(--accent)}
.side .hint{margin:1.25rem .65rem 0;font-size:.8rem;color:var(--muted)}
main{padding:1.75rem 2rem 4rem;max-width:1120px;width:100%}
.page-head{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;gap:.75rem 1rem;margin-bottom:1.25rem}
.page-head p{color:var(--muted);margin:.3rem 0 0}
.crumbs{font-size:.85rem;color:var(--muted);margin-bottom:.35rem}.crumbs a{color:var(--muted)}
.grid{display:grid;gap:1.25rem;grid-template-columns:minmax(0,1fr)}
.cols{display:grid;grid-template-columns:minmax(0,1.6fr) minmax(0,1fr);gap:1.25rem;align-items:start}
.card{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow)}
.card-h{display:flex;align-items:center;justify-content:space-between;gap:.75rem;padding:.85rem 1.1rem;border-bottom:1px solid var(--line)}
.card-h p{margin:0;color:var(--muted);font-size:.85rem}
.card-b{padding:1rem 1.1rem}
.card-b>:first-child{margin-top:0}
.empty{padding:1.5rem 1.1rem;color:var(--muted);text-align:center}
.list{list-style:none;margin:0;padding:0}
.list>li{padding:.85rem 1.1rem;border-top:1px solid var(--line)}.list>li:first-child{border-top:0}
.card.waiting{border-left:4px solid var(--minor)}
.drafts>li{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);gap:.75rem 1.25rem;align-items:start}
.alerts{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}.alerts li{border-left:3px solid var(--line-strong);padding:.1rem 0 .1rem .65rem}.alerts li.firing{border-left-color:var(--critical)}.alerts .pill{margin-left:.4rem}
.labels{display:flex;flex-wrap:wrap;gap:.25rem;margin-top:.2rem}.labels code{font-size:.76rem;background:var(--sunk);border-radius:4px;padding:.05rem .35rem;overflow-wrap:anywhere}
.card-sub{padding:.75rem 1.1rem .1rem;border-top:1px solid var(--line);font-size:.88rem}
.deliveries .mono{overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .9rem}
.row .grow{flex:1 1 12rem;min-width:0}
.meta{color:var(--muted);font-size:.85rem}
.title-link{font-weight:600;color:var(--fg);text-decoration:none}.title-link:hover{text-decoration:underline}
.banner{display:flex;align-items:center;gap:1rem;padding:1.1rem 1.25rem;border-radius:var(--radius);border:1px solid var(--line);background:var(--surface);box-shadow:var(--shadow)}
.banner .big{font-size:1.2rem;font-weight:650}
.banner .ico{width:40px;height:40px;border-radius:10px;display:grid;place-items:center;flex:none}
.tone-ok .ico{background:var(--ok-soft);color:var(--ok)}.tone-maint .ico{background:var(--maint-soft);color:var(--maint)}
.tone-minor .ico{background:var(--minor-soft);color:var(--minor)}.tone-major .ico{background:var(--major-soft);color:var(--major)}
.tone-critical .ico{background:var(--critical-soft);color:var(--critical)}
.banner.tone-minor{border-left:4px solid var(--minor)}.banner.tone-major{border-left:4px solid var(--major)}.banner.tone-critical{border-left:4px solid var(--critical)}.banner.tone-maint{border-left:4px solid var(--maint)}.banner.tone-ok{border-left:4px solid var(--ok)}
.status{display:inline-flex;align-items:center;gap:.35rem;font-size:.85rem;font-weight:550;white-space:nowrap}
.status svg{flex:none}
.s-ok svg{color:var(--ok)}.s-maint svg{color:var(--maint)}.s-minor svg{color:var(--minor)}.s-major svg{color:var(--major)}.s-critical svg{color:var(--critical)}.s-neutral svg,.s-info svg{color:var(--muted)}
.grow .pill{margin-left:.4rem}
.pill{display:inline-flex;align-items:center;gap:.3rem;border:1px solid var(--line-strong);border-radius:999px;padding:.05rem .55rem;font-size:.78rem;font-weight:600;color:var(--fg);white-space:nowrap}
.due{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.1rem .35rem;font-size:.85rem;border-radius:6px;padding:.15rem .5rem;background:var(--sunk);color:var(--fg)}
.due.overdue{background:var(--critical-soft);color:var(--fg);box-shadow:inset 0 0 0 1px var(--critical);font-weight:600}
.due.overdue svg{color:var(--critical)}
.board{list-style:none;margin:0;padding:0}
.board>li{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.75rem 1.1rem;border-top:1px solid var(--line)}.board>li:first-child{border-top:0}
.board .name{flex:1 1 9rem;min-width:0;font-weight:560}
.board form{flex:3 1 44rem;min-width:0}
.board .seg{display:flex;flex-wrap:wrap;width:100%}
.board .seg button{flex:1 1 auto}
.board .child .name{padding-left:1.1rem}
.board .group-row{background:var(--sunk)}
.seg{display:inline-grid;grid-auto-flow:column;gap:1px;border:1px solid var(--line-strong);border-radius:8px;overflow:hidden;background:var(--line)}
.seg button{font:inherit;font-size:.8rem;font-weight:550;display:inline-flex;align-items:center;justify-content:center;gap:.3rem;padding:.35rem .6rem;border:0;background:var(--surface);color:var(--fg);cursor:pointer;min-height:32px;white-space:nowrap}
.seg button:hover{background:var(--sunk)}
.seg button[aria-pressed=true]{background:var(--accent-soft);font-weight:700;box-shadow:inset 0 -2px 0 var(--accent)}
.seg button:disabled{cursor:default}
.seg form{display:contents}
fieldset.seg{padding:0;margin:0;min-width:0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.check .help{display:block}
label,.label{display:block;font-weight:580;font-size:.88rem;margin-bottom:.3rem}
.help{color:var(--muted);font-size:.82rem;margin:.25rem 0 0}
.field{margin-bottom:1rem}
.field-row{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem}
input[type=text],input[type=password],input[type=number],input[type=search],input[type=datetime-local],input[type=email],input[type=file],select,textarea{font:inherit;width:100%;padding:.5rem .65rem;border:1px solid var(--line-strong);border-radius:8px;background:var(--surface);color:var(--fg);min-height:40px}
textarea{min-height:8.5rem;resize:vertical;line-height:1.5}
textarea.short{min-height:4.5rem}
input:hover,select:hover,textarea:hover{border-color:var(--muted)}
[aria-invalid=true]{border-color:var(--critical)!important;box-shadow:0 0 0 1px var(--critical)}
.error{color:var(--critical);font-size:.84rem;font-weight:560;margin:.3rem 0 0}
.check{display:flex;align-items:flex-start;gap:.55rem;font-weight:500}.check input{margin:.25rem 0 0;width:1rem;height:1rem;accent-color:var(--accent)}
.check input{flex:none}
.choices{display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;margin-bottom:.6rem}
.actions-stack details{border-top:1px solid var(--line);padding:.75rem 0}.actions-stack details:first-child{border-top:0;padding-top:0}.actions-stack details:last-child{padding-bottom:0}.actions-stack summary{margin-bottom:.25rem}
fieldset{border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem .2rem;margin:0 0 1rem}
legend{font-weight:600;font-size:.88rem;padding:0 .3rem}
.comp-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(8rem,11rem);gap:.5rem 1rem;align-items:center;margin-bottom:.6rem}
.comp-grid label{margin:0;font-weight:500;display:flex;flex-wrap:wrap;gap:.1rem .6rem;align-items:center}.comp-grid label .status{font-weight:450;color:var(--muted)}
.btn{font:inherit;font-size:.9rem;font-weight:580;display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:38px;padding:.45rem .95rem;border-radius:8px;border:1px solid var(--line-strong);background:var(--surface);color:var(--fg);cursor:pointer;text-decoration:none;white-space:nowrap}
.btn:hover{background:var(--sunk)}
.btn-primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}.btn-primary:hover{background:var(--accent);filter:brightness(1.08)}
.btn-danger{color:var(--critical);border-color:var(--critical)}
.btn-small{min-height:30px;padding:.2rem .6rem;font-size:.82rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.5rem}
.inline{display:inline}
.spaced{margin-top:.45rem}
.gap-top{margin-top:1.1rem}.gap-bottom{margin-bottom:1.25rem}.gap-bottom-s{margin:0 0 .6rem}
.picker .field{margin-bottom:0}.card-b>.picker:not(:only-child){padding-bottom:1rem;margin-bottom:1rem;border-bottom:1px solid var(--line)}.picker-row{display:flex;flex-wrap:wrap;gap:.5rem}.picker-row select{flex:1 1 12rem;min-width:0}
.tips{margin:0;padding-left:1.1rem}.tips li{margin:.35rem 0}
fieldset.plain{border:0;padding:0;margin:0;min-width:0}
fieldset.choices{margin-bottom:1rem}
.radios{display:flex;flex-wrap:wrap;gap:.4rem 1.25rem;padding:.2rem 0 .3rem}
.radio{display:inline-flex;align-items:center;gap:.45rem;font-weight:500;margin:0;cursor:pointer}.radio input{width:1rem;height:1rem;margin:0;accent-color:var(--accent)}
.field-row.wide{grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.alert{border:1px solid var(--line);border-left:4px solid var(--critical);background:var(--surface);border-radius:8px;padding:.75rem 1rem;margin-bottom:1rem}
.alert ul{margin:.3rem 0 0;padding-left:1.2rem}
.notice{border:1px solid var(--line);border-left:4px solid var(--ok);background:var(--surface);border-radius:8px;padding:.7rem 1rem;margin-bottom:1rem}
.readonly{border:1px dashed var(--line-strong);border-radius:8px;padding:.6rem .9rem;color:var(--muted);margin-bottom:1rem;font-size:.88rem}
.sender-config{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem}
.secret{display:block;padding:.75rem;border-radius:8px;background:var(--sunk);border:1px solid var(--line-strong);word-break:break-all;font-size:.95rem;user-select:all}
.preview{border:1px dashed var(--line-strong);border-radius:8px;padding:.6rem .9rem;min-height:3rem;background:var(--sunk)}
.preview-label{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:650;margin:.75rem 0 .3rem}
.mail-box{border:1px solid var(--line-strong);border-radius:8px;background:var(--sunk);overflow:hidden}
.mail-subject{margin:0;padding:.5rem .9rem;border-bottom:1px solid var(--line);font-weight:650;overflow-wrap:anywhere}
.mail-subject .meta{font-weight:500;margin-right:.4rem}
.mail-text{margin:0;padding:.6rem .9rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.84rem;max-height:24rem;overflow:auto}
.prose{overflow-wrap:anywhere}.prose>:first-child{margin-top:0}.prose>:last-child{margin-bottom:0}
.prose pre{background:var(--sunk);padding:.6rem;border-radius:6px;overflow:auto}.prose blockquote{margin:.5rem 0;padding-left:.8rem;border-left:3px solid var(--line-strong);color:var(--muted)}
.timeline{list-style:none;margin:0;padding:0}
.timeline>li{padding:1rem 1.1rem;border-top:1px solid var(--line)}.timeline>li:first-child{border-top:0}
details>summary{cursor:pointer;color:var(--accent);font-size:.88rem;font-weight:560;list-style-position:outside}
details[open]>summary{margin-bottom:.6rem}
.confirm-step{display:inline-block}.confirm-step>summary{list-style:none;display:inline-flex;margin:0}.confirm-step>summary::-webkit-details-marker{display:none}.confirm-step[open]>summary{margin-bottom:.5rem}.confirm-panel{border:1px solid var(--critical);border-radius:8px;padding:.6rem .75rem;margin:0;max-width:28rem;min-width:0}.confirm-panel legend{float:left;width:100%;padding:0;margin:0 0 .5rem;font-size:.9rem}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0;font-size:.9rem}.kv dt{color:var(--muted)}.kv dd{margin:0;min-width:0;overflow-wrap:anywhere}
.kv pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.84rem}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.75rem}
.stat{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem 1rem;box-shadow:var(--shadow)}
.stat .n{font-size:1.4rem;font-weight:650;font-variant-numeric:tabular-nums}.stat .l{color:var(--muted);font-size:.82rem}
.stages{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:.75rem;align-items:start}.stage-col .list>li{padding:.7rem .85rem}.stage-col .card-h{padding:.7rem .85rem}.inv-links{display:flex;flex-wrap:wrap;gap:.2rem .75rem;margin:.35rem 0 0;font-size:.85rem}.pill-todo{border-color:var(--minor);background:var(--minor-soft)}h3.card-sub{font-size:.85rem;color:var(--muted);padding-bottom:.5rem}hr.sep{border:0;border-top:1px solid var(--line);margin:1.1rem 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th{text-align:left;font-weight:600;color:var(--muted);font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;padding:.6rem 1.1rem;border-bottom:1px solid var(--line);white-space:nowrap}
td{padding:.6rem 1.1rem;border-top:1px solid var(--line);vertical-align:top}
tbody tr:first-child td{border-top:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
.filters .field{margin:0;flex:1 1 10rem}
.signin{min-height:100vh;display:grid;place-items:center;padding:1.5rem;max-width:none}
.signin>div{width:100%;max-width:400px}
.signin .card{width:100%;max-width:400px}
.signin .brand{justify-content:center;margin-bottom:1.25rem;font-size:1.1rem}
.foot{color:var(--muted);font-size:.8rem;margin-top:2rem}
@media (max-width:900px){
.shell{display:block}
.side{border-right:0;border-bottom:1px solid var(--line);padding:.4rem .5rem;overflow-x:auto}
.side ul{flex-direction:row;flex-wrap:wrap;gap:.15rem}
.side a{padding:.4rem .6rem;white-space:nowrap;font-size:.9rem}
.side a svg,.side .hint{display:none}
main{padding:1.25rem 1rem 3rem}
.cols{grid-template-columns:minmax(0,1fr)}.stages{grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}.drafts>li{grid-template-columns:minmax(0,1fr)}
}
@media (max-width:520px){
.top{height:auto;min-height:56px;flex-wrap:wrap;padding:.5rem .75rem;gap:.4rem .5rem}
.top .spacer{display:none}
.brand small,.who .role-label{display:none}
.brand{flex:1 0 calc(100% - 7rem)}
.who{display:contents}
.who form{order:1}
.who strong{order:2;white-space:normal;overflow-wrap:anywhere;min-width:0}
.who .role{order:3}
.comp-grid{grid-template-columns:minmax(0,1fr)}
.comp-grid label{margin-top:.35rem}
.seg button{padding:.35rem .55rem}
th,td{padding:.5rem .75rem}
}`;
