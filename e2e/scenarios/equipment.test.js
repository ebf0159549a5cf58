// IT equipment, on the demo inventory (the 25 terminals of the DITEP's
// Excel extract, two open loans). David (staff) searches a terminal, opens
// its card and is refused a loan. Bruno (admin, hence technician) opens a
// loan to Alice from the group chat, where the Bot Connector lists the
// members (no Graph here); Alice, the borrower, acknowledges it in her
// personal chat with Parc (the Playground shows only the current user's
// chats, Alice's); Bruno downloads the certificate and closes the loan.
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack } = require("../lib");
const tenant = require("../lib/tenant");

describe("IT equipment", () => {
  const stack = new Stack({ name: "equipment", args: ["--demo"], admins: [tenant.PEOPLE.bruno.aadObjectId] });
  before(() => stack.start());
  after(() => stack.stop());

  let list;

  it("David searches « lifebook »: the inventory's Fujitsu laptops, paged inside the card", async () => {
    list = await stack.say("group", "terminaux lifebook", { as: "david" });
    assert.equal(list.title, "Terminaux");
    assert.ok(list.texts.includes("9 terminaux trouvés · page 1 sur 1"), list.text);
    assert.ok(list.texts.includes("DITEP-STF-P009"), list.text);
    assert.ok(list.texts.includes("PC portable · Fujitsu Lifebook A555"), list.text);
    assert.ok(!list.buttons.includes("Nouveau prêt"), list.text);
  });

  it("David pages through the whole inventory", async () => {
    const all = await stack.click(list, "Rechercher", { as: "david", inputs: { Rechercher: "" } });
    assert.ok(all.texts.includes("25 terminaux trouvés · page 1 sur 3"), all.text);
    const next = await stack.click(all, "Suivants ▶", { as: "david" });
    assert.ok(next.texts.includes("25 terminaux trouvés · page 2 sur 3"), next.text);
    assert.ok(next.texts.includes("DITEP-STF-P014"), next.text);
    assert.ok(next.texts.includes("En retard"), next.text); // the demo's overdue loan
  });

  it("David opens DITEP-STF-P016: the sheet's « Window 10 Pro » reads « Windows 10 Pro »", async () => {
    const card = await stack.click(list, { verb: "terminal.show", data: { id: "DITEP-STF-P016" } }, { as: "david" });
    assert.equal(card.title, "DITEP-STF-P016");
    assert.equal(card.fact("Système"), "Windows 10 Pro");
    assert.equal(card.fact("Marque"), "Fujitsu");
    assert.equal(card.fact("Établissement"), "DITEP Saint-François");
    assert.ok(!card.buttons.includes("Prêter"), card.text);
  });

  it("David, who is staff, is refused a loan, even with a forged button", async () => {
    const refused = await stack.say("group", "prêt DITEP-STF-P009", { as: "david" });
    assert.equal(refused.title, "Action réservée");
    assert.match(refused.text, /réservée aux techniciens/);
    const forged = await stack.invoke(list, "loan.open", { terminal: "DITEP-STF-P009", borrower: stack.people.david.aadObjectId, due: "2030-01-01" }, { as: "david" });
    assert.equal(forged.title, "Action réservée");
  });

  let form;

  it("Alice says hello to Parc; Bruno asks for the loan form of DITEP-STF-P009 in the group chat and finds her", async () => {
    await stack.say("personal", "bonjour");
    form = await stack.say("group", "prêt DITEP-STF-P009", { as: "bruno" });
    assert.equal(form.title, "Nouveau prêt");
    assert.equal(form.input("Terminal").value, "DITEP-STF-P009");
    form = await stack.click(form, "Chercher", { as: "bruno", inputs: { "Emprunteur : nom ou e-mail": "martin" } });
    assert.ok(form.texts.includes("1 personne trouvée pour « martin »."), form.text);
    const borrower = form.input("Emprunteur");
    assert.equal(borrower.choices.length, 1, form.text);
    assert.match(borrower.choices[0].title, /^Alice Martin/);
    assert.equal(borrower.value, stack.people.alice.aadObjectId);
  });

  let loan;
  let ack;

  it("a due date in the past sends the form back with the reason", async () => {
    const refused = await stack.click(form, "Ouvrir le prêt", { as: "bruno", inputs: { "Date de retour prévue": "2020-01-01" } });
    assert.equal(refused.title, "Nouveau prêt");
    assert.ok(refused.texts.includes("La date de retour prévue (01/01/2020) est déjà passée."), refused.text);
  });

  it("Bruno opens the loan; Alice gets the acknowledgement card in her personal chat", async () => {
    const since = stack.stream.mark();
    loan = await stack.click(form, "Ouvrir le prêt", { as: "bruno", inputs: { "Accessoires prêtés": "charger" } });
    assert.equal(loan.title, "Prêt DITEP-STF-P009-L1");
    assert.ok(loan.texts.some((t) => t.startsWith("Prêt DITEP-STF-P009-L1 ouvert : DITEP-STF-P009 est prêté à Alice Martin.")), loan.text);
    assert.equal(loan.fact("Accessoires"), "Chargeur");
    ack = await stack.nextCard("personal", { since, what: "Alice's acknowledgement card" });
    assert.equal(ack.title, "Matériel prêté");
    assert.match(ack.text, /Bruno Petit vous a prêté ce matériel/);
    assert.ok(ack.buttons.includes("J'ai bien reçu ce matériel"), ack.text);
  });

  it("the loan certificate downloads as a PDF from the card's signed link; a forged link is refused", async () => {
    const link = loan.actions.find((a) => a.title === "Attestation de prêt (PDF)");
    assert.ok(link && link.url, loan.text);
    const res = await fetch(link.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.subarray(0, 5).toString(), "%PDF-");
    const forged = await fetch(link.url.replace("sig=", "sig=x"));
    assert.equal(forged.status, 403);
  });

  it("Alice acknowledges it; the loan then shows her acknowledgement", async () => {
    const done = await stack.click(ack, "J'ai bien reçu ce matériel");
    assert.ok(done.texts.some((t) => t.startsWith("Réception confirmée le")), done.text);
    const seen = await stack.invoke(loan, "loan.show", { loan: "DITEP-STF-P009-L1" }, { as: "bruno" });
    assert.match(seen.fact("Accusé de réception"), /^reçu le .*, Alice Martin$/);
  });

  it("Bruno records the return; the loan is closed once, and the terminal is back in stock", async () => {
    const returnForm = await stack.click(loan, "Enregistrer le retour", { as: "bruno" });
    assert.equal(returnForm.title, "Retour de DITEP-STF-P009");
    const closed = await stack.click(returnForm, "Clore le prêt", { as: "bruno" });
    assert.ok(closed.texts.includes("Retour enregistré : DITEP-STF-P009 est en stock."), closed.text);
    assert.ok(closed.texts.includes("Terminé"), closed.text);
    assert.ok(closed.buttons.includes("Attestation de retour (PDF)"), closed.text);
    const twice = await stack.click(returnForm, "Clore le prêt", { as: "bruno" });
    assert.ok(twice.texts.includes("Le prêt DITEP-STF-P009-L1 est déjà clos."), twice.text);
    const loans = await stack.say("group", "prêts", { as: "bruno" });
    assert.ok(!loans.text.includes("DITEP-STF-P009"), loans.text);
    assert.ok(loans.text.includes("DITEP-STF-P014"), loans.text);
  });
});
