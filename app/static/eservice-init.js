// Runs in <head>: scripts work, so the menu may be folded behind its button (see eservice.css).
document.documentElement.classList.remove("eservice-nojs");
