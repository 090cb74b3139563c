/**
 * The pages' scripts: constants, never built from input. Each reads what it needs (an id) from
 * data attributes that the page escaped, so no value is ever spliced into script text.
 */

/** Choosing a tenant selects that tenant's first project, so the pair sent is a valid one. */
export const CONTEXT_SWITCHER_SCRIPT = `(() => {
  const tenant = document.getElementById('tenant-switcher');
  const project = document.getElementById('project-switcher');
  if (!tenant || !project) return;
  tenant.addEventListener('change', () => {
    const current = project.selectedOptions[0];
    if (current && current.dataset.tenantId === tenant.value) return;
    const first = [...project.options].find(o => o.dataset.tenantId === tenant.value);
    if (first) project.value = first.value;
  });
})();`;

/**
 * The workload page follows its workload through the API every 200 ms until it is running or
 * failed; it stops on an answer that will not change by asking again (401, 403, 404).
 */
export const WORKLOAD_POLLING_SCRIPT = `(() => {
  const main = document.querySelector('[data-workload-id]');
  const state = document.querySelector('[data-testid=workload-state]');
  const reason = document.querySelector('[data-testid=workload-reason]');
  const history = document.querySelector('[data-testid=workload-history]');
  const settled = value => value === 'running' || value === 'failed';
  if (!main || settled(state.textContent)) return;
  const url = '/api/v1/workloads/' + encodeURIComponent(main.dataset.workloadId);
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if ([401, 403, 404].includes(response.status)) return;
      if (response.ok) {
        const workload = await response.json();
        state.textContent = workload.state;
        reason.textContent = workload.reason;
        history.replaceChildren(...workload.history.map(seen => {
          const item = document.createElement('li');
          item.textContent = seen;
          return item;
        }));
        if (settled(workload.state)) return;
      }
    } catch {
      // A network error is retried with the next poll.
    }
    setTimeout(poll, 200);
  };
  setTimeout(poll, 200);
})();`;

/**
 * The terminal page: one websocket to the terminal service through the platform proxy. A browser
 * cannot see why an upgrade was refused, only that the socket closed before it opened.
 */
export const TERMINAL_SCRIPT = `(() => {
  const main = document.querySelector('[data-allocation-id]');
  const status = document.querySelector('[data-testid=terminal-status]');
  const output = document.querySelector('[data-testid=terminal-output]');
  const input = document.querySelector('[data-testid=terminal-input]');
  if (!main) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(scheme + '//' + location.host + '/terminals/' + encodeURIComponent(main.dataset.allocationId) + '/ws');
  let opened = false;
  status.textContent = 'connecting';
  socket.addEventListener('open', () => { opened = true; });
  socket.addEventListener('message', event => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.type === 'ready') {
      status.textContent = 'connected';
      input.disabled = false;
      input.focus();
    } else if (message.type === 'output') {
      output.textContent += message.data;
    } else if (message.type === 'error') {
      output.textContent += 'error: ' + message.message + '\\n';
    }
  });
  socket.addEventListener('close', () => {
    input.disabled = true;
    status.textContent = opened ? 'closed' : 'error: the terminal connection was refused';
  });
  input.addEventListener('keydown', event => {
    if (event.key !== 'Enter' || socket.readyState !== WebSocket.OPEN) return;
    event.preventDefault();
    socket.send(JSON.stringify({ type: 'input', data: input.value }));
    input.value = '';
  });
})();`;
