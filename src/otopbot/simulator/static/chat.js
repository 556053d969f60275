/* LINE simulator chat page. Plain JS, relative URLs only (works under any mount prefix). */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const chat = $("chat"), quick = $("quick-replies"), select = $("user-select");
  const st = { userId: "", after: 0, items: [], polling: false, ticks: 0, menuId: null };
  const SIZES = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35, "4xl": 48, "5xl": 74 };
  const SPACE = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function px(v, table) {
    if (v === undefined || v === null) return null;
    if (table && v in table) return table[v] + "px";
    return /^\d+(\.\d+)?$/.test(String(v)) ? v + "px" : String(v);
  }
  function status(text) { $("status").textContent = text || ""; }
  /* keep the newest message in view while the user has not scrolled up */
  let atBottom = true;
  function keepBottom() { if (atBottom) chat.scrollTop = chat.scrollHeight; }
  chat.addEventListener("scroll", () => { atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40; });
  if (window.ResizeObserver) new ResizeObserver(keepBottom).observe(chat);

  async function api(path, body) {
    const opts = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    const res = await fetch(path, opts);
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error((data && data.message) || res.status);
    return data;
  }

  /* ---------- sending (user side) ---------- */
  async function send(kind, body) {
    if (!st.userId) { status("เลือกผู้ใช้ก่อน / pick a user first"); return; }
    try {
      const result = await api(kind, Object.assign({ userId: st.userId }, body || {}));
      if (result && result.error) status("webhook error: " + result.error);
      else if (result && result.status && result.status >= 300) status("webhook → HTTP " + result.status);
      else status("");
    } catch (err) { status(String(err.message || err)); }
    await poll();
  }

  function runAction(action) {
    if (!action) return;
    switch (action.type) {
      case "postback":
        return send("postback", { data: action.data, displayText: action.displayText || action.text });
      case "message": return send("say", { text: action.text });
      case "uri": window.open(action.uri, "_blank", "noopener"); return;
      case "datetimepicker": {
        const mode = action.mode || "date";
        const hint = { date: "YYYY-MM-DD", time: "HH:mm", datetime: "YYYY-MM-DDTHH:mm" }[mode];
        const value = window.prompt(`${action.label || mode} (${hint})`, action.initial || "");
        if (value) return send("postback", { data: action.data, params: { [mode]: value } });
        return;
      }
      case "location": return send("location");
      case "camera": case "cameraRoll": return send("image");
      case "richmenuswitch":
        return send("postback", { data: action.data || "",
          params: { newRichMenuAliasId: action.richMenuAliasId, status: "SUCCESS" } });
      case "clipboard": if (navigator.clipboard) navigator.clipboard.writeText(action.clipboardText || ""); return;
      default: status("unsupported action " + action.type);
    }
  }

  /* ---------- Flex ---------- */
  function flexContainer(c) {
    if (c.type === "carousel") {
      const row = el("div", "flex-carousel");
      (c.contents || []).forEach((b) => row.appendChild(flexBubble(b)));
      return row;
    }
    return flexBubble(c);
  }
  function flexBubble(b) {
    const bubble = el("div", "flex-bubble " + (b.size || "mega"));
    const styles = b.styles || {};
    ["header", "hero", "body", "footer"].forEach((part) => {
      if (!b[part]) return;
      const sec = el("div", `fx-section fx-${part}`);
      const s = styles[part] || {};
      if (s.backgroundColor) sec.style.backgroundColor = s.backgroundColor;
      if (s.separator) sec.style.borderTop = "1px solid " + (s.separatorColor || "#e6e7ea");
      if (part === "hero") sec.style.padding = "0";
      sec.appendChild(flexNode(b[part], "vertical"));
      bubble.appendChild(sec);
    });
    if (b.action) clickable(bubble, b.action);
    return bubble;
  }
  function clickable(node, action) {
    node.classList.add("fx-clickable");
    node.addEventListener("click", (e) => { e.stopPropagation(); runAction(action); });
  }
  function common(node, n, parentLayout) {
    const gap = px(n.margin, SPACE);
    if (gap) node.style[parentLayout === "vertical" ? "marginTop" : "marginLeft"] = gap;
    const grow = n.flex !== undefined ? n.flex : (parentLayout === "vertical" ? null : 1);
    if (grow !== null) node.style.flex = `${grow} ${grow === 0 ? 0 : 1} ${grow === 0 ? "auto" : "0"}`;
    if (n.position === "absolute") {
      node.style.position = "absolute";
      ["top", "bottom", "start", "end"].forEach((k) => {
        if (n["offset" + k[0].toUpperCase() + k.slice(1)]) {
          node.style[{ start: "left", end: "right" }[k] || k] = px(n["offset" + k[0].toUpperCase() + k.slice(1)], SPACE);
        }
      });
    }
    if (n.align && node.style) node.style.textAlign = n.align === "start" ? "left" : n.align === "end" ? "right" : "center";
    if (n.gravity) node.style.alignSelf = { top: "flex-start", bottom: "flex-end", center: "center" }[n.gravity];
    if (n.action && n.type !== "button") clickable(node, n.action);
    return node;
  }
  function flexNode(n, parentLayout) {
    switch (n.type) {
      case "box": {
        const box = el("div", `fx-box fx-${n.layout || "vertical"}`);
        const gap = px(n.spacing, SPACE);
        if (gap) box.style.gap = gap;
        if (n.backgroundColor) box.style.backgroundColor = n.backgroundColor;
        if (n.borderColor || n.borderWidth) box.style.border = `${px(n.borderWidth, { none: 0, light: 0.5, normal: 1, medium: 2, "semi-bold": 3, bold: 4 }) || "1px"} solid ${n.borderColor || "#ccc"}`;
        if (n.cornerRadius) box.style.borderRadius = px(n.cornerRadius, SPACE);
        if (n.paddingAll) box.style.padding = px(n.paddingAll, SPACE);
        ["Top", "Bottom", "Start", "End"].forEach((k) => {
          if (n["padding" + k]) box.style[`padding${{ Start: "Left", End: "Right" }[k] || k}`] = px(n["padding" + k], SPACE);
        });
        if (n.width) box.style.width = px(n.width);
        if (n.height) box.style.height = px(n.height);
        if (n.justifyContent) box.style.justifyContent = n.justifyContent;
        if (n.alignItems) box.style.alignItems = n.alignItems;
        if ((n.contents || []).some((c) => c.position === "absolute")) box.style.position = "relative";
        (n.contents || []).forEach((c) => box.appendChild(flexNode(c, n.layout || "vertical")));
        return common(box, n, parentLayout);
      }
      case "text": {
        const t = el("div", "fx-text" + (n.wrap ? " wrap" : ""));
        if (n.contents && n.contents.length) {
          n.contents.forEach((s) => {
            const span = el("span", null, s.text);
            if (s.weight === "bold") span.style.fontWeight = "700";
            if (s.color) span.style.color = s.color;
            if (s.size) span.style.fontSize = px(s.size, SIZES);
            if (s.style === "italic") span.style.fontStyle = "italic";
            if (s.decoration) span.style.textDecoration = s.decoration;
            t.appendChild(span);
          });
        } else t.textContent = n.text || "";
        t.style.fontSize = px(n.size || "md", SIZES);
        if (n.weight === "bold") t.style.fontWeight = "700";
        if (n.color) t.style.color = n.color;
        if (n.style === "italic") t.style.fontStyle = "italic";
        if (n.decoration) t.style.textDecoration = n.decoration;
        if (n.maxLines) { t.style.display = "-webkit-box"; t.style.webkitLineClamp = n.maxLines; t.style.webkitBoxOrient = "vertical"; }
        return common(t, n, parentLayout);
      }
      case "span": return el("span", null, n.text);
      case "button": {
        const b = el("button", `fx-button ${n.style || "link"} ${n.height || "md"}`, (n.action && n.action.label) || "");
        b.type = "button";
        if (n.color) b.style[n.style === "link" || !n.style ? "color" : "backgroundColor"] = n.color;
        b.addEventListener("click", () => runAction(n.action));
        return common(b, n, parentLayout);
      }
      case "image": return common(image(n.url, "fx-image" + (n.aspectMode === "fit" ? " fit" : ""), n), n, parentLayout);
      case "icon": { const i = el("span", "fx-icon"); i.style.fontSize = px(n.size || "md", SIZES); return common(i, n, parentLayout); }
      case "separator": {
        const s = el("hr", "fx-sep");
        if (n.color) s.style.borderColor = n.color;
        return common(s, Object.assign({}, n, { flex: 0 }), parentLayout);
      }
      case "filler": case "spacer": return common(el("div", "fx-filler"), n, parentLayout);
      default: return el("div", "raw", JSON.stringify(n));
    }
  }
  function image(url, cls, n) {
    const img = el("img", cls);
    img.alt = "";
    img.src = url;
    const ratio = n && n.aspectRatio ? n.aspectRatio.replace(":", " / ") : "20 / 13";
    img.style.aspectRatio = ratio;
    img.addEventListener("error", () => {
      const ph = el("div", "fx-img-ph", "[รูปภาพ] " + (url || "").replace(/^https?:\/\//, "").slice(0, 40));
      ph.style.aspectRatio = ratio;
      img.replaceWith(ph);
      keepBottom();
    });
    return img;
  }

  /* ---------- templates ---------- */
  function templateCard(col, actionsCls) {
    const card = el("div", "tpl");
    if (col.thumbnailImageUrl) card.appendChild(image(col.thumbnailImageUrl, "tpl-thumb", { aspectRatio: col.imageAspectRatio === "square" ? "1:1" : "1.51:1" }));
    if (col.title) card.appendChild(el("div", "tpl-title", col.title));
    card.appendChild(el("div", "tpl-text", col.text));
    const box = el("div", actionsCls || "");
    (col.actions || []).forEach((a) => {
      const b = el("button", "tpl-action", a.label);
      b.type = "button";
      b.addEventListener("click", () => runAction(a));
      box.appendChild(b);
    });
    card.appendChild(box);
    if (col.defaultAction) clickable(card, col.defaultAction);
    return card;
  }
  function template(t) {
    if (t.type === "confirm") return templateCard({ text: t.text, actions: t.actions }, "tpl-confirm-actions");
    if (t.type === "buttons") return templateCard(t);
    const row = el("div", "tpl-carousel");
    (t.columns || []).forEach((c) => {
      if (t.type === "image_carousel") {
        const col = el("div", "tpl-image-col");
        col.appendChild(image(c.imageUrl, "tpl-thumb", { aspectRatio: "1:1" }));
        const b = el("button", "tpl-action", c.action && c.action.label);
        b.addEventListener("click", () => runAction(c.action));
        col.appendChild(b);
        row.appendChild(col);
      } else row.appendChild(templateCard(c));
    });
    return row;
  }

  /* ---------- messages ---------- */
  function content(m) {
    switch (m.type) {
      case "text": return el("div", "bubble", m.text);
      case "textV2": return el("div", "bubble", (m.text || "").replace(/\{[^}]+\}/g, (k) => (m.substitution && m.substitution[k.slice(1, -1)] ? "@" : k)));
      case "flex": { const f = flexContainer(m.contents || {}); f.title = m.altText || ""; return f; }
      case "template": return template(m.template || {});
      case "image": return m.previewImageUrl ? image(m.previewImageUrl, "img-msg", { aspectRatio: "4:3" })
        : el("div", "img-placeholder", "รูปภาพ / photo");
      case "sticker": { const s = el("div", "sticker", "STICKER"); s.appendChild(el("small", null, `${m.packageId}/${m.stickerId}`)); return s; }
      case "location": return el("div", "bubble location", `${m.title || "ตำแหน่ง / location"}\n${m.address || ""}\n(${m.latitude}, ${m.longitude})`);
      default: return el("pre", "raw", JSON.stringify(m, null, 1));
    }
  }
  function clock(ts) {
    const d = new Date(ts * 1000);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }
  function render(item) {
    const m = item.message || {};
    if (item.via === "refused") return refusal(item);
    const fromUser = item.via === "user";
    const row = el("div", `msg ${fromUser ? "user" : "bot"} via-${item.via}`);
    row.dataset.seq = item.seq;
    const time = el("span", "time", clock(item.at));
    if (fromUser) { row.appendChild(time); row.appendChild(content(m)); return row; }
    const name = (m.sender && m.sender.name) || "OTOP Bot";
    row.appendChild(el("div", "avatar", name.slice(0, 1)));
    const col = el("div", "bot-col");
    col.appendChild(el("div", "sender", name));
    const line = el("div", "row");
    line.appendChild(content(m));
    line.appendChild(time);
    col.appendChild(line);
    row.appendChild(col);
    return row;
  }
  function refusal(item) {
    const details = (item.message.details || []).map((d) => `${d.property}: ${d.message}`).join("; ");
    const row = el("div", "msg notice refused");
    row.dataset.seq = item.seq;
    row.appendChild(el("div", "refused-text",
      `⚠ LINE ปฏิเสธข้อความ (${item.message.request}, 400) / refused by LINE — ${details}`));
    return row;
  }
  function renderQuickReplies() {
    quick.innerHTML = "";
    const answers = st.items.filter((i) => i.via !== "refused");
    const last = answers[answers.length - 1];
    const items = last && last.via !== "user" && last.message.quickReply ? last.message.quickReply.items || [] : [];
    items.forEach((it) => {
      const chip = el("button", "qr-chip", (it.action && it.action.label) || "");
      chip.type = "button";
      chip.addEventListener("click", () => { quick.hidden = true; runAction(it.action); });
      quick.appendChild(chip);
    });
    quick.hidden = items.length === 0;
  }

  async function poll() {
    if (!st.userId || st.polling) return;
    st.polling = true;
    const user = st.userId;
    try {
      const items = await api(`messages?userId=${encodeURIComponent(user)}&after=${st.after}&include_user=1`);
      if (user !== st.userId) return;
      items.forEach((item) => { st.items.push(item); st.after = Math.max(st.after, item.seq); chat.appendChild(render(item)); });
      if (items.length) { renderQuickReplies(); atBottom = true; keepBottom(); }
    } catch (err) { status(String(err.message || err)); }
    finally { st.polling = false; }
    if (++st.ticks % 8 === 1) loadRichMenu();
  }

  /* ---------- rich menu ---------- */
  async function loadRichMenu() {
    if (!st.userId) return;
    const menu = await api(`richmenu?userId=${encodeURIComponent(st.userId)}`).catch(() => null);
    const box = $("richmenu");
    if (!menu) { box.hidden = true; st.menuId = null; return; }
    if (menu.richMenuId === st.menuId) return;
    st.menuId = menu.richMenuId;
    $("richmenu-bar").textContent = (menu.chatBarText || "Menu") + " ▾";
    const body = $("richmenu-body");
    body.innerHTML = "";
    const img = el("img"); img.src = menu.image; img.alt = menu.name || "rich menu";
    body.appendChild(img);
    (menu.areas || []).forEach((a, i) => {
      const b = el("button", "richmenu-area");
      b.type = "button";
      b.title = (a.action && (a.action.label || a.action.displayText || a.action.data)) || `area ${i + 1}`;
      b.dataset.data = (a.action && a.action.data) || "";
      Object.assign(b.style, {
        left: `${(100 * a.bounds.x) / menu.size.width}%`, top: `${(100 * a.bounds.y) / menu.size.height}%`,
        width: `${(100 * a.bounds.width) / menu.size.width}%`, height: `${(100 * a.bounds.height) / menu.size.height}%`,
      });
      b.addEventListener("click", () => runAction(a.action));
      body.appendChild(b);
    });
    box.classList.toggle("collapsed", !menu.selected);
    box.hidden = false;
    keepBottom();
  }
  $("richmenu-bar").addEventListener("click", () => $("richmenu").classList.toggle("collapsed"));
  $("text").addEventListener("focus", () => $("richmenu").classList.add("collapsed"));  // like the phone keyboard

  /* ---------- users ---------- */
  function selectedOption() { return select.options[select.selectedIndex]; }
  function refreshFriendButtons() {
    const opt = selectedOption();
    const following = opt && opt.dataset.following === "1";
    $("follow-btn").disabled = !st.userId || following;
    $("unfollow-btn").disabled = !st.userId || !following;
    $("friend-state").textContent = st.userId ? (following ? "เพื่อน / friend" : "ยังไม่ได้เป็นเพื่อน / not a friend") : "";
    $("text").disabled = $("send").disabled = !st.userId;
  }
  async function reloadUsers() {
    const users = await api("users");
    const keep = st.userId;
    select.querySelectorAll("option[value]:not([value=''])").forEach((o) => o.remove());
    users.forEach((u) => {
      const o = el("option", null, `${u.displayName} (${u.language || "-"})`);
      o.value = u.userId; o.dataset.following = u.following ? "1" : "0";
      select.appendChild(o);
    });
    select.value = keep;
    refreshFriendButtons();
  }
  function pickUser(userId) {
    st.userId = userId; st.after = 0; st.items = []; st.menuId = null; st.ticks = 0;
    chat.innerHTML = ""; quick.hidden = true; $("richmenu").hidden = true;
    try { localStorage.setItem("otopbot-sim-user", userId); } catch (e) { /* private mode */ }
    refreshFriendButtons();
    poll();
  }
  select.addEventListener("change", () => pickUser(select.value));
  $("new-user").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const u = await api("users", { displayName: $("new-name").value, language: $("new-lang").value });
      $("new-name").value = "";
      await reloadUsers();
      select.value = u.userId;
      pickUser(u.userId);
    } catch (err) { status(String(err.message || err)); }
  });
  $("follow-btn").addEventListener("click", async () => { await send("follow"); await reloadUsers(); });
  $("unfollow-btn").addEventListener("click", async () => { await send("unfollow"); await reloadUsers(); });
  document.querySelectorAll("[data-send]").forEach((b) => b.addEventListener("click", () => send(b.dataset.send)));
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    send("say", { text });
  });

  const params = new URLSearchParams(location.search);
  let initial = params.get("userId") || "";
  try { initial = initial || localStorage.getItem("otopbot-sim-user") || ""; } catch (e) { /* ignore */ }
  const known = [...select.options].filter((o) => o.value);
  if (!known.some((o) => o.value === initial)) initial = known.length ? known[0].value : "";  // newcomers: the demo user
  if (initial) { select.value = initial; pickUser(initial); }
  else refreshFriendButtons();
  setInterval(poll, 700);
})();
