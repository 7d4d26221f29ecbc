/// The built-in catalogue: the vaccines of the French calendar, usable offline without
/// any NUVA release.
///
/// Data, not code: one line per disease, valence and product in a small `|`-separated
/// format read by `BuiltInCatalogue.parse` (tested: a malformed line is a test failure,
/// never a trap at run time; the parser reports the line).
///
///     disease <DIS code> | <French label>
///     valence <VAL code> | <shorthand> | <DIS code> | <French label>
///     product <name> | nuva <VAC code> | cis <codes…> | cip13 <codes…> | atc <code> | valences <VAL codes…> | marketed yes|no
///
/// Sources and trust:
/// - Names, CIS, CIP13 and NUVA codes, valences and French labels are the public facts of the
///   NUVA release 1.0.1124 (International Vaccine Codes Initiative, CC-BY 4.0), cross-checked
///   by hand for the products listed; Agrippal's CIS 61921204 is the one the user guide shows.
///   Products whose CIS NUVA does not give (Beyfortus) have none here: no code is invented.
/// - ATC codes are WHO class codes written from public knowledge (J07CA09 hexavalent, J07AL02
///   pneumococcal conjugate, J07BB02 inactivated influenza, ...).
/// - `marketed` is public knowledge as of 2025 and the weakest field: Zostavax, Fluenz Tetra,
///   Priorix-Tetra, BCG Pasteur (replaced by the AJVaccines BCG) and the not-yet-launched
///   Capvaxive and mResvia are marked "no"; Agrippal, Cervarix and Neisvac are marked "yes"
///   on the guide's and the 2025 calendar's word, without a check of current supply.
/// - Beyfortus (nirsevimab) is a monoclonal antibody, not a vaccine; it is listed because
///   RSV prevention in infants is recorded with it, and NUVA counts it as a valence.
enum BuiltInCatalogue {
    static let text = """
disease DIS001 | Diphtérie
disease DIS002 | Tétanos
disease DIS003 | Coqueluche
disease DIS004 | Poliomyélite
disease DIS005 | Haemophilus influenzae b
disease DIS006 | Hépatite B
disease DIS008 | Rougeole
disease DIS009 | Oreillons
disease DIS010 | Rubéole
disease DIS011 | Varicelle
disease DIS014 | Tuberculose
disease DIS015 | Grippe saisonnière
disease DIS016 | Hépatite A
disease DIS025 | Pneumocoque
disease DIS032 | Rotavirus
disease DIS033 | Zona
disease DIS038 | Papillomavirus
disease DIS043 | Méningocoque C
disease DIS044 | Méningocoque A
disease DIS045 | Méningocoque B
disease DIS046 | Méningocoque W
disease DIS047 | Méningocoque Y
disease DIS057 | Covid 19
disease DIS058 | Virus Respiratoire Syncytial
valence VAL001 | INF-L3 | DIS015 | Valence grippe, trivalente, vivante atténuée, dose normale
valence VAL005 | MEAS-LA | DIS008 | Valence rougeole, vivante atténuée
valence VAL008 | aP | DIS003 | Valence coqueluche, acellulaire, dose standard
valence VAL012 | rHBsAg-40 | DIS006 | Valence hépatite B, antigène de surface recombinant du virus de l'hépatite B (Ag HBs), 40 microgrammes (dose pour patient dialysé)
valence VAL013 | Shingles-gE | DIS033 | Valence zona, glycoprotéine E (gE) de surface du virus varicelle-zona (VZV)
valence VAL015 | INF-SUnd3 | DIS015 | Valence grippe, trivalente, inactivée, fractionnée ou sous-unité, voie intramusculaire ou sous-cutanée, sans adjuvant, dose normale
valence VAL017 | ap | DIS003 | Valence coqueluche, acellulaire, dose réduite
valence VAL020 | Shingles-LA | DIS033 | Valence zona, vivant atténué
valence VAL034 | d | DIS001 | Valence diphtérique, anatoxine, dose réduite
valence VAL036 | HPV-09-valent | DIS038 | Valence papillomavirus, VLP, nonavalent, types 6, 11, 16, 18, 31, 33, 45, 52 et 58
valence VAL040 | INF-SUnd4 | DIS015 | Valence grippe, quadrivalente, inactivée, fractionnée ou sous-unité, voie intramusculaire ou sous-cutanée, sans adjuvant, dose normale
valence VAL044 | VZV-LA | DIS011 | Valence varicelle, sans précision
valence VAL056 | IPV | DIS004 | Valence poliomyélite, trivalente, inactivée, entière, injectable
valence VAL059 | INF-L4 | DIS015 | Valence grippe, quadrivalente, vivante atténuée, dose normale
valence VAL067 | T | DIS002 | Valence tétanos, anatoxine
valence VAL072 | MenB-fHbpAB | DIS045 | Valence méningocoque B, contenant la fHbp des sous-familles A et B
valence VAL074 | INF-SUhd4 | DIS015 | Valence grippe, quadrivalente, inactivée, fractionnée ou sous-unité, haute dose
valence VAL077 | MUMPS-LA | DIS009 | Valence oreillons, vivant atténué
valence VAL079 | Rub-LA | DIS010 | Valence rubéole, vivante atténuée
valence VAL094 | INF-SUhd3 | DIS015 | Valence grippe, trivalente, inactivée, fractionnée ou sous-unité, voie intramusculaire ou sous-cutanée, sans adjuvant, haute dose
valence VAL096 | BCG | DIS014 | Valence BCG
valence VAL097 | D | DIS001 | Valence diphtérique, anatoxine, dose standard
valence VAL098 | 4CMenB | DIS045 | Valence méningocoque B, 4 composants
valence VAL112 | INF-CC4 | DIS015 | Valence grippe, quadrivalente, inactivée, obtenue sur culture cellulaire, fractionnée ou sous-unité, dose normale
valence VAL113 | HPV-02-valent | DIS038 | Valence papillomavirus, VLP, bivalent, types 16 et 18
valence VAL114 | rHBsAg-10 | DIS006 | Valence hépatite B, antigène de surface recombinant du virus de l'hépatite B (Ag HBs), 10 microgrammes
valence VAL115 | rHBsAg-20 | DIS006 | Valence hépatite B, antigène de surface recombinant du virus de l'hépatite B (Ag HBs), 20 microgrammes
valence VAL123 | Rota5-L | DIS032 | Valence rotavirus, vivant atténué, pentavalent
valence VAL141 | ROTA-LA-mv-RIX4414 | DIS032 | Valence rotavirus, vivant atténué, monovalent RIX4414
valence VAL142 | HepA-mv-PED | DIS016 | Valence hépatite A, inactivée, entière, monovalente, dose pédiatrique
valence VAL143 | HepA-bv-PED | DIS016 | Valence hépatite A, inactivée, entière, bivalent (hépatites A et B), dose pédiatrique
valence VAL144 | HepA-mv-ADU | DIS016 | Valence hépatite A, inactivée, entière, monovalente, dose adulte
valence VAL145 | HepA-bv-ADU | DIS016 | Valence hépatite A, inactivée, entière, bivalent (hépatites A et B), dose adulte
valence VAL155 | PRP-OMP | DIS005 | Valence Haemophilus influenzae type b, polyoside de PRP conjugué à la protéine de membrane externe de Neisseria meningitidis sérogroupe B
valence VAL156 | PRP-T | DIS005 | Valence Haemophilus influenzae type b, polyoside de PRP conjugué à l’anatoxine tétanique
valence VAL170 | rHepB-05 | DIS006 | Valence hépatite B, antigène de surface recombinant du virus de l'hépatite B (Ag HBs), 5 microgrammes
valence VAL180 | COVID-mRNA-S-ORI-100 | DIS057 | Valence covid 19, virus originel, ARNm codant la protéine de pointe du SARS-CoV-2, 100 microgrammes
valence VAL186 | PCV-01 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 1
valence VAL187 | PCV-03 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 3
valence VAL188 | PCV-04 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 4
valence VAL189 | PCV-05 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 5
valence VAL190 | PCV-06A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 6A
valence VAL191 | PCV-06B | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 6B
valence VAL192 | PCV-07F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 7F
valence VAL193 | PCV-08 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 8
valence VAL194 | PCV-09V | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 9V
valence VAL195 | PCV-10A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 10A
valence VAL196 | PCV-11A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 11A
valence VAL197 | PCV-12F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 12F
valence VAL198 | PCV-14 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 14
valence VAL199 | PCV-15B | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 15B
valence VAL200 | PCV-18C | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 18C
valence VAL201 | PCV-19A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 19A
valence VAL202 | PCV-19F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 19F
valence VAL203 | PCV-22F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 22F
valence VAL204 | PCV-23F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 23F
valence VAL205 | PCV-33F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 33F
valence VAL206 | PPSV-01 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 1
valence VAL207 | PPSV-02 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 2
valence VAL208 | PPSV-03 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 3
valence VAL209 | PPSV-04 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 4
valence VAL210 | PPSV-05 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 5
valence VAL211 | PPSV-06B | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 6B
valence VAL212 | PPSV-07F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 7F
valence VAL213 | PPSV-08 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 8
valence VAL214 | PPSV-09N | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 9N
valence VAL215 | PPSV-09V | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 9V
valence VAL216 | PPSV-10A | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 10A
valence VAL217 | PPSV-11A | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 11A
valence VAL218 | PPSV-12F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 12F
valence VAL219 | PPSV-14 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 14
valence VAL220 | PPSV-15B | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 15B
valence VAL222 | PPSV-17F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 17F
valence VAL223 | PPSV-18C | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 18C
valence VAL224 | PPSV-19A | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 19A
valence VAL225 | PPSV-19F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 19F
valence VAL226 | PPSV-20 | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 20
valence VAL227 | PPSV-22F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 22F
valence VAL228 | PPSV-23F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 23F
valence VAL229 | PPSV-33F | DIS025 | Valence pneumocoque, polyosidique non conjuguée, sérotype 33F
valence VAL238 | HPV-06 | DIS038 | Valence papillomavirus, VLP, type 6
valence VAL239 | HPV-11 | DIS038 | Valence papillomavirus, VLP, type 11
valence VAL240 | HPV-16 | DIS038 | Valence papillomavirus, VLP, type 16
valence VAL241 | HPV-18 | DIS038 | Valence papillomavirus, VLP, type 18
valence VAL242 | HPV-31 | DIS038 | Valence papillomavirus, VLP, type 31
valence VAL243 | HPV-33 | DIS038 | Valence papillomavirus, VLP, type 33
valence VAL244 | HPV-58 | DIS038 | Valence papillomavirus, VLP, type 58
valence VAL245 | HPV-52 | DIS038 | Valence papillomavirus, VLP, type 52
valence VAL246 | HPV-45 | DIS038 | Valence papillomavirus, VLP, type 45
valence VAL266 | MCV-C-T | DIS043 | Valence méningocoque C, polyoside conjugué à l'anatoxine tétanique
valence VAL268 | MCV-C-CRM | DIS043 | Valence méningocoque C, polyoside conjugué à la protéine CRM197
valence VAL269 | MCV-A-CRM | DIS044 | Valence méningocoque A, polyoside conjugué à la protéine CRM197
valence VAL271 | MCV-A-T | DIS044 | Valence méningocoque A, polyoside conjugué à l'anatoxine tétanique
valence VAL272 | MCV-W-T | DIS046 | Valence méningocoque W, polyoside conjugué à l'anatoxine tétanique
valence VAL274 | MCV-W-CRM | DIS046 | Valence méningocoque W, polyoside conjugué à la protéine CRM197
valence VAL275 | MCV-Y-CRM | DIS047 | Valence méningocoque Y, polyoside conjugué à la protéine CRM197
valence VAL276 | MCV-Y-T | DIS047 | Valence méningocoque Y, polyoside conjugué à l'anatoxine tétanique
valence VAL289 | COVID-mRNA-S-ORI-10 | DIS057 | Valence covid 19, virus originel, ARNm codant la protéine de pointe du SARS-CoV-2, 10 microgrammes
valence VAL290 | COVID-mRNA-S-ORI-30 | DIS057 | Valence covid 19, virus originel, ARNm codant la protéine de pointe du SARS-CoV-2, 30 microgrammes
valence VAL316 | RSV-PreF3 | DIS058 | Valence VRS, recombinante, antigène RSVPreF3 dérivé de la protéine F
valence VAL321 | VRS-mAb-nir | DIS058 | Valence VRS, anticorps monoclonal, nirsévimab
valence VAL322 | RSV-PreFAB | DIS058 | Valence VRS, recombinante, glycoprotéines F des sous-types A et B
valence VAL354 | PCV-9N | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 9N
valence VAL355 | PCV-17F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 17F
valence VAL369 | PCV-15A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 15A
valence VAL370 | PCV-15C | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 15C
valence VAL371 | PCV-16F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 16F
valence VAL372 | PCV-20A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 20A
valence VAL373 | PCV-23A | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 23A
valence VAL374 | PCV-23B | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 23B
valence VAL375 | PCV-24F | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 24F
valence VAL376 | PCV-31 | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 31
valence VAL377 | PCV-35B | DIS025 | Valence pneumocoque, polyosidique conjuguée, sérotype 35B
valence VAL383 | mRSV | DIS058 | Valence VRS, ARNm simple brin coiffé en 5' codant pour la glycoprotéine F, stabilisé dans la conformation de préfusion
product HEXYON | nuva VAC0510 | cis 60645557 63483103 | cip13 3400927349997 3400927350078 3400927350139 3400927350368 3400927350429 | atc J07CA09 | valences VAL008 VAL056 VAL067 VAL097 VAL114 VAL156 | marketed yes
product INFANRIX HEXA | nuva VAC0014 | cis 62966063 | cip13 3400930004326 3400930095713 3400935495839 3400935496089 3400955001805 3400955001812 3400955001829 3400956211265 3400956211326 | atc J07CA09 | valences VAL008 VAL056 VAL067 VAL097 VAL114 VAL156 | marketed yes
product VAXELIS | nuva VAC0535 | cis 69688620 | cip13 3400930079775 3400930079782 3400930079799 3400955028345 3400955028369 3400955028376 3400955028383 | atc J07CA09 | valences VAL008 VAL056 VAL067 VAL097 VAL114 VAL155 | marketed yes
product PENTAVAC | nuva VAC0023 | cis 69811279 | cip13 3400934774416 3400934821981 3400935166784 3400936064188 3400936064249 3400936064300 3400936874114 3400936874282 3400936874343 3400936874404 | atc J07CA06 | valences VAL008 VAL056 VAL067 VAL097 VAL156 | marketed yes
product INFANRIXQUINTA | nuva VAC0015 | cis 69543678 | cip13 3400930095720 3400934376771 3400934376832 3400935524737 | atc J07CA06 | valences VAL008 VAL056 VAL067 VAL097 VAL156 | marketed yes
product TETRAVAC-ACELLULAIRE | nuva VAC0037 | cis 66543281 | cip13 3400934822124 3400934822353 3400935166845 3400936064478 3400936064539 3400936064768 3400936874633 3400936874862 3400936874923 3400936875005 | atc J07CA02 | valences VAL008 VAL056 VAL067 VAL097 | marketed yes
product INFANRIXTETRA | nuva VAC0051 | cis 61294723 69777706 | cip13 3400934167584 3400934167645 3400934167706 3400935524676 | atc J07CA02 | valences VAL008 VAL056 VAL067 VAL097 | marketed yes
product REPEVAX | nuva VAC0029 | cis 67619892 | cip13 3400935963932 3400935964014 3400935964182 3400935964243 3400935964304 3400935964472 3400935964533 3400935964762 3400935964823 3400936873742 3400936873803 3400936873971 3400936874053 | atc J07CA02 | valences VAL017 VAL034 VAL056 VAL067 | marketed yes
product BOOSTRIXTETRA | nuva VAC0043 | cis 62404793 62996633 | cip13 3400936773646 3400936773707 3400936773875 3400936773936 3400936774018 3400936774186 | atc J07CA02 | valences VAL017 VAL034 VAL056 VAL067 | marketed yes
product REVAXIS | nuva VAC0030 | cis 60917345 | cip13 3400935259967 3400935260048 3400935308566 3400936875814 3400936875982 3400936876064 3400936876125 3400936876293 3400936876354 | atc J07CA01 | valences VAL034 VAL056 VAL067 | marketed yes
product PREVENAR 13 | nuva VAC0123 | cis 67786749 | cip13 3400939901091 3400939901152 3400939901213 3400939901381 | atc J07AL02 | valences VAL186 VAL187 VAL188 VAL189 VAL190 VAL191 VAL192 VAL194 VAL198 VAL200 VAL201 VAL202 VAL204 | marketed yes
product PREVENAR 20 | nuva VAC0900 | cis 62189757 | cip13 3400930247853 3400930247860 | atc J07AL02 | valences VAL186 VAL187 VAL188 VAL189 VAL190 VAL191 VAL192 VAL193 VAL194 VAL195 VAL196 VAL197 VAL198 VAL199 VAL200 VAL201 VAL202 VAL203 VAL204 VAL205 | marketed yes
product VAXNEUVANCE | nuva VAC0780 | cis 64355843 | cip13 3400930244357 3400930244364 3400930244371 3400930244388 3400930244395 3400930244401 | atc J07AL02 | valences VAL186 VAL187 VAL188 VAL189 VAL190 VAL191 VAL192 VAL194 VAL198 VAL200 VAL201 VAL202 VAL203 VAL204 VAL205 | marketed yes
product CAPVAXIVE | nuva VAC1254 | cis 69077052 | cip13 3400930311462 3400930311479 | atc J07AL02 | valences VAL187 VAL190 VAL192 VAL193 VAL195 VAL196 VAL197 VAL199 VAL201 VAL203 VAL205 VAL354 VAL355 VAL369 VAL370 VAL371 VAL372 VAL373 VAL374 VAL375 VAL376 VAL377 | marketed no
product PNEUMOVAX | nuva VAC0336 | cis 60614280 64964125 66229252 | cip13 3400930044339 3400930044346 3400930044360 3400930044377 3400930044384 3400930044391 3400932300600 3400935527639 3400935527868 3400935527929 3400935528001 3400935528179 3400935528230 3400959002273 | atc J07AL01 | valences VAL206 VAL207 VAL208 VAL209 VAL210 VAL211 VAL212 VAL213 VAL214 VAL215 VAL216 VAL217 VAL218 VAL219 VAL220 VAL222 VAL223 VAL224 VAL225 VAL226 VAL227 VAL228 VAL229 | marketed yes
product BEXSERO | nuva VAC0495 | cis 64493883 | cip13 3400926863036 3400926863265 3400926863326 3400926863494 | atc J07AH09 | valences VAL098 | marketed yes
product TRUMENBA | nuva VAC0582 | cis 65802140 | cip13 3400930096376 | atc J07AH09 | valences VAL072 | marketed yes
product NIMENRIX | nuva VAC0486 | cis 69241562 | cip13 3400922253701 3400922253879 3400922253930 3400922254012 3400922254180 3400922254241 3400958245565 | atc J07AH08 | valences VAL266 VAL271 VAL272 VAL276 | marketed yes
product MENQUADFI | nuva VAC0594 | cis 63064137 | cip13 3400930221877 3400930221884 3400930244210 | atc J07AH08 | valences VAL266 VAL271 VAL272 VAL276 | marketed yes
product MENVEO | nuva VAC0141 | cis 68046787 | cip13 3400921702903 3400936037915 3400941701535 | atc J07AH08 | valences VAL268 VAL269 VAL274 VAL275 | marketed yes
product NEISVAC | nuva VAC0022 | cis 69261547 | cip13 3400936276857 3400936276918 3400936277168 3400936277397 | atc J07AH07 | valences VAL266 | marketed yes
product PRIORIX | nuva VAC0053 | cis 61896473 | cip13 3400935081308 3400935081476 3400935081537 3400935081766 3400935136978 3400935137050 3400935137111 3400935137289 3400935137340 3400935137401 3400935137579 3400935137630 | atc J07BD52 | valences VAL005 VAL077 VAL079 | marketed yes
product M-M-RVAXPRO | nuva VAC0017 | cis 64269668 65194581 | cip13 3400937327848 3400937327909 3400937328098 3400937328159 3400937328210 3400956702602 3400956702770 3400956702831 3400956703081 3400956703142 3400956722181 3400956722242 3400956722303 | atc J07BD52 | valences VAL005 VAL077 VAL079 | marketed yes
product PRIORIX-TETRA | nuva VAC0121 | cis 66718236 67106701 | cip13 3400938263671 3400938263732 3400938263961 3400938264043 3400938264104 3400938264272 3400938264333 3400938264562 3400938264623 3400938310320 3400938310498 3400938310559 | atc J07BD54 | valences VAL005 VAL044 VAL077 VAL079 | marketed no
product VARIVAX | nuva VAC0061 | cis 69201849 | cip13 3400936276628 3400936467194 3400936467774 3400936468207 3400936876415 3400936876583 | atc J07BK01 | valences VAL044 | marketed yes
product VARILRIX | nuva VAC0060 | cis 62521070 | cip13 3400930128381 3400936277229 | atc J07BK01 | valences VAL044 | marketed yes
product GARDASIL 9 | nuva VAC0523 | cis 61429103 65017887 | cip13 3400930056196 3400930056202 3400955020011 | atc J07BM03 | valences VAL036 VAL238 VAL239 VAL240 VAL241 VAL242 VAL243 VAL244 VAL245 VAL246 | marketed yes
product CERVARIX | nuva VAC0044 | cis 64098181 64995512 | cip13 3400938163926 3400938164237 3400938165128 3400938165296 3400949500543 3400957136383 3400957136444 3400957136673 3400957136963 3400957137045 | atc J07BM02 | valences VAL113 VAL240 VAL241 | marketed yes
product AGRIPPAL | nuva VAC0002 | cis 61921204 | cip13 3400934975448 3400935080066 3400935231062 3400935231291 3400935947383 3400935947444 3400935947505 3400935947673 | atc J07BB02 | valences VAL015 | marketed yes
product VAXIGRIP | nuva VAC0062 | cis 61777031 62482112 68622012 69675854 | cip13 3400930306000 3400930306017 3400930306024 3400930306031 3400930306048 3400930306055 3400932129904 3400932130092 3400932130153 3400934522635 3400935215963 3400935216045 3400935229342 3400935229403 3400935229571 3400935229632 3400936873513 3400936873681 3400959111432 | atc J07BB02 | valences VAL015 | marketed yes
product VAXIGRIPTETRA | nuva VAC0560 | cis 61402736 68257948 | cip13 3400928099761 3400928099877 3400930067727 3400930067734 3400930067741 3400930067758 3400930067772 3400930067789 3400930199299 3400930296769 3400930296776 3400959000460 | atc J07BB02 | valences VAL112 | marketed yes
product INFLUVAC | nuva VAC0016 | cis 62027876 63156183 69976327 | cip13 3400930296165 3400930296172 3400933652166 3400935524508 3400939523279 3400955102168 3400955102175 3400955896876 3400957541989 | atc J07BB02 | valences VAL015 | marketed yes
product INFLUVAC TETRA | nuva VAC0562 | cis 60716805 | cip13 3400930117712 3400930117729 3400955043522 3400955043539 | atc J07BB02 | valences VAL040 | marketed yes
product EFLUELDA | nuva VAC1347 | cis 62048742 | cip13 3400930304983 3400930304990 3400930305003 3400930305010 3400930305027 3400930305034 3400930305058 3400930305065 | atc J07BB02 | valences VAL094 | marketed yes
product EFLUELDA TETRA | nuva VAC0649 | cis 62048742 67823603 | cip13 3400930205372 3400930205389 3400930205396 3400930205402 3400930205419 3400930205426 3400930288818 3400930288825 | atc J07BB02 | valences VAL074 | marketed yes
product FLUENZ | nuva VAC0173 | cis 65525113 66557142 | cip13 3400922388175 3400922388465 3400930293447 3400930293454 | atc J07BB03 | valences VAL001 | marketed yes
product FLUENZ TETRA | nuva VAC0521 | cis 62818082 | cip13 3400927937439 3400927937668 3400928099853 3400930011171 3400930011188 | atc J07BB03 | valences VAL059 | marketed no
product SHINGRIX | nuva VAC0567 | cis 62887096 | cip13 3400930141861 3400955053361 | atc J07BK03 | valences VAL013 | marketed yes
product ZOSTAVAX | nuva VAC0161 | cis 60956323 61060930 | cip13 3400937592574 3400937592635 3400937592864 3400937592925 3400937593007 3400956961535 3400956961764 3400956961825 3400956961993 3400956962075 3400956962136 3400956962365 3400956962426 | atc J07BK02 | valences VAL020 | marketed no
product AREXVY | nuva VAC1040 | cis 64431629 | cip13 3400930274170 3400930274187 | atc J07BX05 | valences VAL316 | marketed yes
product ABRYSVO | nuva VAC1047 | cis 60990140 | cip13 3400930275573 3400930281512 3400930281529 | atc J07BX05 | valences VAL322 | marketed yes
product MRESVIA | nuva VAC1262 | cis 64933425 | cip13 3400930302187 3400930302194 | atc J07BX05 | valences VAL383 | marketed no
product BEYFORTUS 50 MG (NIRSEVIMAB) | nuva VAC1046 | cip13 3400930268599 | atc J06BD05 | valences VAL321 | marketed yes
product BEYFORTUS 100 MG (NIRSEVIMAB) | nuva VAC1050 | cip13 3400930268636 | atc J06BD05 | valences VAL321 | marketed yes
product HAVRIX 1440 U/1mL | nuva VAC0049 | cis 60386414 66600889 | cip13 3400930128367 3400930128374 3400933775094 3400933775155 3400933775216 3400933779467 | atc J07BC02 | valences VAL144 | marketed yes
product HAVRIX 720 U/0,5 mL | nuva VAC0050 | cis 60152436 69617616 | cip13 3400930128985 3400930128992 3400933558505 3400934760396 3400934760457 3400934760518 3400955774259 | atc J07BC02 | valences VAL142 | marketed yes
product AVAXIM 160 U | nuva VAC0003 | cis 62756524 | cip13 3400934166525 3400934166693 3400934166754 3400934166815 3400937081658 3400937081719 3400937081887 3400937081948 3400937082020 3400937082198 | atc J07BC02 | valences VAL144 | marketed yes
product AVAXIM 80 U PEDIATRIQUE | nuva VAC0115 | cis 63777215 63937933 | cip13 3400922459585 3400922459646 3400922459707 3400935677013 3400935677181 3400935677242 3400935677471 3400935677532 3400935677761 3400935677990 3400935678072 | atc J07BC02 | valences VAL142 | marketed yes
product ENGERIX B 10 µg | nuva VAC0045 | cis 65782652 69819678 | cip13 3400930071649 3400930071656 3400930071663 3400933817350 3400935167095 3400935463432 3400955871453 3400956206643 3400956210084 | atc J07BC01 | valences VAL114 | marketed yes
product ENGERIX B 20 µg | nuva VAC0046 | cis 62279329 63624632 | cip13 3400930071601 3400930071625 3400930071632 3400933115456 3400935166906 3400935463661 3400956206582 3400956210145 | atc J07BC01 | valences VAL115 | marketed yes
product HBVAXPRO 10 µg | nuva VAC0009 | cis 64646891 67633301 | cip13 3400935676412 3400935947215 3400936924413 3400936924581 3400936924642 3400936924703 3400956213856 3400957221980 | atc J07BC01 | valences VAL114 | marketed yes
product HBVAXPRO 40 µg | nuva VAC0010 | cis 64757607 | cip13 3400935676580 | atc J07BC01 | valences VAL012 | marketed yes
product HBVAXPRO 5 µg | nuva VAC0011 | cis 65402616 69352630 | cip13 3400935396334 3400935676351 3400936408463 3400936923812 3400936923980 3400936924062 3400936924123 3400936924291 3400936924352 3400956213795 3400957259204 3400957259372 | atc J07BC01 | valences VAL170 | marketed yes
product TWINRIX 20 µg | nuva VAC0057 | cis 63834164 65991659 | cip13 3400934206597 3400934206658 3400934206719 3400934206887 3400934206948 3400934207020 3400935676931 | atc J07BC20 | valences VAL115 VAL145 | marketed yes
product TWINRIX 10 µg | nuva VAC0058 | cis 64737775 69567686 | cip13 3400934310546 3400934310607 3400934310775 3400934310836 3400934311086 3400935676870 | atc J07BC20 | valences VAL114 VAL143 | marketed yes
product BCG PASTEUR | nuva VAC0080 | cis 67511443 | cip13 3400931500131 3400932847884 3400955220459 3400955525431 3400955525660 | atc J07AN01 | valences VAL096 | marketed no
product COMIRNATY 30 µg BIONTECH-PFIZER | nuva VAC0658 | cis 60495328 65456578 | cip13 3400928099631 3400928099747 3400930218662 3400930243411 3400930243428 | atc J07BN01 | valences VAL290 | marketed yes
product COMIRNATY 10 µg BIONTECH-PFIZER | nuva VAC0833 | cis 69174918 | cip13 3400928099693 3400930243404 | atc J07BN01 | valences VAL289 | marketed yes
product SPIKEVAX 0,2 mg/mL MODERNA | nuva VAC0656 | cis 66689795 | cip13 3400928099778 3400930219553 | atc J07BN01 | valences VAL180 | marketed yes
product ROTARIX | nuva VAC0514 | cis 60755263 60886387 64984697 | cip13 3400930264065 3400930264072 3400937232593 3400939020167 3400939020228 3400957404345 3400957404406 3400957404574 3400957404635 3400957404864 | atc J07BH01 | valences VAL141 | marketed yes
product ROTATEQ | nuva VAC0031 | cis 66396810 | cip13 3400937622363 3400956970988 | atc J07BH02 | valences VAL123 | marketed yes
"""
}
