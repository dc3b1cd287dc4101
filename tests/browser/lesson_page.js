// What the browser test reads in a JupyterLab page (added to every page with page.add_init_script).
// Everything is read from the DOM, the way a student meets the lesson, except the kernel and cell execution states,
// taken from the application the test server exposes as window.jupyterapp, which tell when a run is over.
window.pk = {
  state(path) {
    const app = window.jupyterapp;
    const w = app && app.shell.currentWidget;
    if (!w || !w.context || !w.sessionContext || !w.content) return {phase: 'opening'};
    if (w.context.path !== path || !w.context.isReady) return {phase: 'opening ' + w.context.path};
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    if (!w.sessionContext.isReady || !kernel) return {phase: 'kernel'};
    let running = 0, executed = 0, code = 0;
    for (const cell of w.content.widgets) {
      if (cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim()) continue;
      code += 1;
      const prompt = cell.node.querySelector('.jp-InputPrompt');
      if (cell.model.executionState === 'running' || (prompt && prompt.textContent.includes('*'))) running += 1;
      if (cell.model.executionCount !== null) executed += 1;
    }
    const dialog = document.querySelector('.jp-Dialog');
    return {phase: 'ready', status: kernel.status, running, executed, code, dirty: w.context.model.dirty,
            dialog: dialog ? dialog.innerText.slice(0, 300) : null};
  },

  // The state once `what` holds ('open', 'started', 'idle', 'saved'), or once no waiting can help (a dialog, a dead
  // kernel); else false. 'idle' means no cell queued or running and the kernel idle for half a second.
  until(path, what) {
    const st = pk.state(path);
    if (st.phase !== 'ready') return false;
    if (st.dialog || ['dead', 'restarting', 'autorestarting'].includes(st.status)) return st;
    const idle = st.status === 'idle' && st.running === 0;
    if (!idle) pk.idleSince = null; else if (!pk.idleSince) pk.idleSince = performance.now();
    const done = {open: st.status === 'idle', started: st.running > 0 || st.executed > 0 || !st.code,
                  saved: !st.dirty, idle: idle && performance.now() - pk.idleSince > 500}[what];
    return done ? st : false;
  },

  // The notebook's top-level widget views (not those inside an Output widget), in page order. JupyterLab's own
  // renderers tag their node with data-mime-type; the widget renderer does not, and marks itself .jupyter-widgets.
  views() {
    const outs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
      .filter(e => !e.parentElement.closest('.widget-output'))
      .filter(e => !e.hasAttribute('data-mime-type') || e.matches('.jupyter-widgets')
                   || !!e.querySelector('.jupyter-widgets'));
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
    return outs.map((e, k) => {
      const text = e.textContent.trim();
      const broken = !!e.querySelector('.jupyter-widgets-error-widget') || text.startsWith('Error displaying widget');
      e.setAttribute('data-pk-view', String(k));
      return {k, cell: cells.findIndex(c => c.contains(e)), text: text.slice(0, 200),
              rendered: !broken && !text.startsWith('Loading widget') && !!e.querySelector('.jupyter-widgets')};
    });
  },

  // The first control of view k (not one inside its Output), tagged data-pk-control=k, or null.
  firstControl(k) {
    const view = document.querySelector(`[data-pk-view="${k}"]`);
    const inOutput = el => { const o = el.closest('.widget-output'); return o && view.contains(o); };
    const el = [...view.querySelectorAll('.noUi-handle, select, button, input, textarea')].find(e => !inOutput(e));
    if (!el) return null;
    el.setAttribute('data-pk-control', String(k));
    let kind = el.tagName.toLowerCase();
    if (el.classList.contains('noUi-handle')) kind = 'slider';
    else if (kind === 'select') kind = 'dropdown';
    else if (kind === 'input') kind = ['checkbox', 'radio', 'number'].includes(el.type) ? el.type : 'text';
    else if (kind === 'textarea') kind = 'text';
    if (kind === 'button' && el.closest('.widget-toggle-buttons')) kind = 'toggle-buttons';
    const box = el.closest('.widget-inline-hbox, .widget-inline-vbox');
    const described = box && box.querySelector('.widget-label');
    const label = (described && described.textContent) || el.getAttribute('aria-label') || el.textContent || '';
    return {kind, label: label.trim().slice(0, 60), atMax: el.getAttribute('aria-valuenow') !== null
            && el.getAttribute('aria-valuenow') === el.getAttribute('aria-valuemax'), disabled: !!el.disabled};
  },

  // What view k's control drives: the Output, HTML and Image widgets of its cell, else of the whole notebook
  // (controls displayed apart from their output); not the controls themselves (their readouts always change).
  snapshot(k) {
    const OUT = '.widget-output, .widget-html, .widget-htmlmath, img.widget-image';
    const top = el => !el.parentElement.closest('.widget-output');
    const view = document.querySelector(`[data-pk-view="${k}"]`);
    let outs = [...view.closest('.jp-Cell').querySelectorAll(OUT)].filter(top);
    if (!outs.length) outs = [...document.querySelectorAll('.jp-Notebook ' + OUT)].filter(top);
    // JupyterLab shows an error output as stderr text; a traceback tells it from a warning.
    const errors = outs.flatMap(o => [...o.querySelectorAll('.jp-OutputArea-output')]
      .filter(e => e.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr'
                   && /Traceback \(most recent call last\)|^\w*(Error|Exception)\b/m.test(e.textContent))
      .map(e => e.textContent.trim().split('\n').slice(-1)[0].slice(0, 300)));
    const content = outs.map(o => o.tagName === 'IMG' ? o.src
      : o.innerHTML.length + '|' + o.innerText + '|' + [...o.querySelectorAll('img')].map(i => i.src).join('|'));
    return {n: outs.length, content: content.join('\n#\n'), errors};
  },
};
