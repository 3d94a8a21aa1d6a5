// The ticket back office in the Wagtail admin. Enhancement only: every form works without it.
// A file, not an inline <script>: the admin's Content-Security-Policy allows none of ours.
document.addEventListener("DOMContentLoaded", () => {
    // Queue: "select all" and showing the fields of the chosen bulk action.
    const all = document.getElementById("select-all");
    const boxes = [...document.querySelectorAll("[data-ticket-select]")];
    if (all) {
        all.hidden = false;
        all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
    }
    const action = document.getElementById("bulk-action");
    const groups = [...document.querySelectorAll("[data-bulk-for]")];
    const sync = () => groups.forEach((group) => { group.hidden = group.dataset.bulkFor !== action.value; });
    if (action) {
        action.addEventListener("change", sync);
        sync();
    }

    // Ticket: choosing a status puts in its Textbaustein at once, unless the message was already
    // edited. Without JavaScript the "Textbaustein einsetzen" button does it.
    const replyTexts = document.getElementById("reply-texts");
    const select = document.getElementById("status-status");
    const message = document.getElementById("status-public_message");
    if (replyTexts && select && message) {
        const texts = JSON.parse(replyTexts.textContent);
        const button = document.querySelector("[data-load-template]");
        if (button) button.closest("p").hidden = true;
        let lastTemplate = message.value;
        select.addEventListener("change", () => {
            if (message.value.trim() === "" || message.value === lastTemplate) {
                message.value = texts[select.value] || "";
                lastTemplate = message.value;
            }
        });
    }
});
