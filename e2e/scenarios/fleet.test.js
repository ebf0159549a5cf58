// Pool cars, on the demo fleet of `parc serve --demo` (six cars of DITEP
// Saint-François, one at the garage, a week of bookings): Alice picks her
// establishment, checks availability, books, sees it in her reservations
// and cancels; Alice and Bruno race for the same car; Alice, as a fleet
// manager (admin), sets a booked car to damaged: she is told as its
// driver, and the car is shown apart to Bruno.
"use strict";

const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { Stack } = require("../lib");

describe("pool cars", () => {
  const stack = new Stack({ name: "fleet", args: ["--demo"] });
  before(() => stack.start());
  after(() => stack.stop());

  const pick = async (chat, as) => {
    const ask = await stack.say(chat, "voitures", { as });
    assert.equal(ask.title, "Dans quel établissement travaillez-vous ?");
    const done = await stack.click(ask, "Valider", { as, inputs: { Établissement: "DITEP Saint-François (DITEP-STF)" } });
    assert.match(done.text, /C'est noté\s*:\s*DITEP Saint-François/);
  };

  it("Alice picks her establishment once and sees the annexe 1 list", async () => {
    await pick("personal");
    const list = await stack.say("personal", "voitures");
    assert.equal(list.title, "Voitures – DITEP Saint-François");
    for (const col of ["Modèle", "Plaque", "Statut", "Dernière réservation", "Prochaine réservation"]) assert.ok(list.texts.includes(col), col);
    assert.ok(list.texts.includes("Peugeot 208"), list.text);
    assert.ok(list.texts.includes("FG-208-KL"), list.text);
    assert.ok(list.texts.includes("Indisponible"), "the Dacia at the garage");
    assert.ok(list.texts.some((t) => /^il y a \d+\s*j$/.test(t)), "a last reservation some days ago");
  });

  let ref;

  it("« dispo demain 14h-16h »: the free cars with Réserver, the Dacia apart with its reason", async () => {
    const free = await stack.say("personal", "dispo demain 14h-16h");
    assert.equal(free.title, "Voitures libres");
    assert.match(free.text, /DZ-731-VW\s*:\s*En entretien – Au garage Martin/);
    const plates = free.actions.filter((a) => a.verb === "fleet.reserve").map((a) => a.data.plate);
    assert.ok(plates.includes("FG-208-KL"), plates.join());
    assert.ok(!plates.includes("DZ-731-VW"));
    const done = await stack.click(free, { title: "Réserver", data: { plate: "FG-208-KL" } }, { inputs: { "Motif (facultatif)": "Visite à domicile" } });
    assert.equal(done.title, "Réservation confirmée");
    assert.equal(done.fact("Plaque"), "FG-208-KL");
    assert.equal(done.fact("Motif"), "Visite à domicile");
    assert.match(done.fact("Quand"), /14h00 – 16h00$/);
    ref = done.fact("Référence");
    assert.match(ref, /^R-[0-9A-Z]{8}$/);
  });

  it("the booking is in « mes réservations », and Alice cancels it", async () => {
    const mine = await stack.say("personal", "mes réservations");
    assert.equal(mine.title, "Mes réservations");
    assert.ok(mine.text.includes(ref), mine.text);
    assert.ok(mine.buttons.includes("Raccourcir"));
    const cancelled = await stack.click(mine, { title: "Annuler la réservation", data: { id: ref } });
    assert.ok(cancelled.texts.includes(`Réservation ${ref} annulée.`), cancelled.text);
    assert.ok(cancelled.texts.includes("Vous n'avez aucune réservation en cours ou à venir."), cancelled.text);
  });

  it("Alice and Bruno race for the Zoé: one gets it, the other the clash answer with what is left", async () => {
    await pick("group", "bruno");
    const [a, b] = [await stack.say("personal", "dispo demain 10h-11h"), await stack.say("group", "dispo demain 10h-11h", { as: "bruno" })];
    const zoe = { title: "Réserver", data: { plate: "FN-164-XY" } };
    const [ra, rb] = await Promise.all([stack.click(a, zoe), stack.click(b, zoe, { as: "bruno" })]);
    const titles = [ra.title, rb.title].sort();
    assert.deepEqual(titles, ["Réservation confirmée", "Trop tard : cette voiture vient d'être réservée"]);
    const lost = ra.title.startsWith("Trop tard") ? ra : rb;
    assert.ok(lost.texts.includes("Autres voitures libres sur ce créneau"), lost.text);
    assert.ok(lost.actions.some((x) => x.verb === "fleet.reserve" && x.data.plate === "FG-208-KL"), lost.text);
    assert.match(lost.text, /Prochain créneau libre de même durée pour Renault Zoé/);
    assert.ok(lost.actions.some((x) => x.verb === "fleet.reserve" && x.data.plate === "FN-164-XY"), "the Zoé's next free slot");
  });

  it("as a fleet manager, Alice sets a car she booked to damaged: she is told, Bruno sees it apart", async () => {
    const booked = await stack.say("personal", "réserver GH-417-MN demain 13h-14h réunion");
    assert.equal(booked.title, "Réservation confirmée");
    const car = await stack.say("personal", "voiture GH-417-MN");
    assert.equal(car.title, "Renault Clio · GH-417-MN");
    assert.ok(car.texts.includes("Planning des 7 prochains jours"));
    const set = await stack.click(car, "Enregistrer le statut", {
      inputs: { "Nouveau statut": "Endommagée", "Note (visible par tous)": "Rétroviseur arraché" },
    });
    assert.equal(set.title, "Renault Clio · GH-417-MN : Endommagée");
    assert.ok(set.texts.includes("Rétroviseur arraché"), set.text);
    assert.ok(set.texts.includes("Personnes prévenues en conversation privée : 1."), set.text);
    const told = await stack.nextCard("personal", { what: "the notice to the car's driver" });
    assert.equal(told.title, "Votre voiture réservée n'est plus disponible");
    assert.match(told.text, /GH-417-MN.*Endommagée/s);
    const free = await stack.say("group", "dispo demain 13h-14h", { as: "bruno" });
    assert.match(free.text, /GH-417-MN\s*:\s*Endommagée – Rétroviseur arraché/);
    assert.ok(!free.actions.some((x) => x.verb === "fleet.reserve" && x.data.plate === "GH-417-MN"));
  });
});
