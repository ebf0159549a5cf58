package inventory

// SeedExtract is the extract of the DITEP Saint-François inventory that
// section 4.4.3 of the seed shows ("Extrait du fichier excel"), as the
// sheet holds it: its header (with the remark in brackets), its 25 rows
// and their typos ("Window 10 Pro", "i3 - 5005U", "Dell Inc", "Microsoft
// Corp"). The Site column is empty in the extract: the site comes from the
// id (DITEP-STF-P001 is at site STF). The demo data and the tests use it.
const SeedExtract = `Propriétaire;Site;Marque;Modèle;Caractéristique technique;Version du système;Nomenclature (vérifier si c'est F ou P)
DITEP;;LENOVO;20FVS 2M30;i5-6300U CPU - 8Go;Windows 10 pro;DITEP-STF-P001
DITEP;;LENOVO;20DSS24500;i5-5300U CPU - 8Go;Windows 10 pro;DITEP-STF-P002
DITEP;;LENOVO;20FVS17Y00;i5-6300U CPU - 8 Go;Windows 10 pro;DITEP-STF-P003
DITEP;;LENOVO;20FVS2M000;i5-6300U CPU - 8Go;Windows 10 pro;DITEP-STF-P004
DITEP;;LENOVO;20FVS17Y00;i5-6300U CPU - 8Go;Windows 10 pro;DITEP-STF-P005
DITEP;;LENOVO;20DSS24500;i5-5300U CPU - 8Go;Windows 10 Pro;DITEP-STF-P006
DITEP;;LENOVO;20DSS0F810;i5-5300U CPU - 8Go;Windows 10 Pro;DITEP-STF-P007
DITEP;;LENOVO;20B751U600;i5-4300UCPU - 8Go;Windows 10 Pro;DITEP-STF-P008
DITEP;;Fujitsu;Lifebook A555;i3-5005u CPU - 8Go;Windows 10 pro;DITEP-STF-P009
DITEP;;LENOVO;20K553J102;i5-6300U CPU - 8Go;Windows 10 Pro;DITEP-STF-P011
DITEP;;LENOVO;20C0S03500;i5-4300U - 4Go;Windows 10 pro;DITEP-STF-P012
DITEP;;Fujitsu;Lifebook A556;i3 - 5005U CPU - 8Go;Windows 10 Pro;DITEP-STF-P013
DITEP;;Dell Inc;Latitude E5540;i5 - 4300 CPU - 8Go;Windows 10 Pro;DITEP-STF-P014
DITEP;;Fujitsu;Lifebook A555;i3-5005u CPU - 8Go;Windows 10 Pro;DITEP-STF-P015
DITEP;;Fujitsu;Lifebook A555;i3 - 5005U CPU - 8Go;Window 10 Pro;DITEP-STF-P016
DITEP;;Fujitsu;Lifebook NH 751;i5 - 2450MCP - 6Go;Windows 10 Pro;DITEP-STF-P017
DITEP;;Microsoft;ProBook;i7-8650U - 5192 MB RAM;Windows 10 Pro;DITEP-STF-P018
DITEP;;LENOVO;20C0S03500;i5-4300U - 4Go;Windows 10 Pro;DITEP-STF-P019
DITEP;;Fujitsu;Lifebook A556;i5 - 6200U - 16 Go;Windows 10 Pro;DITEP-STF-P020
DITEP;;Fujitsu;Lifebook A555;i3-5005U CPU - 4 Go;Windows 10 Pro;DITEP-STF-P021
DITEP;;Dell Inc;Latitude E6520;i7 - 2760QM CPU - 12Go;Windows 10 Pro;DITEP-STF-P022
DITEP;;ASUS;Vivo book;i7-8565U CPU - 8Go;windows 10 Pro;DITEP-STF-P023
DITEP;;Microsoft Corp;Surface Pro 7;i3 - 1005G1 CPU - 4 Go;Windows 10 famille;DITEP-STF-P024
DITEP;;Fujitsu;Lifebook NH 751;i5 - 2450MCP - 8Go;Windows 10 pro;DITEP-STF-P025
DITEP;;Fujitsu;Lifebook A555;i3-500 CPU - 8Go;Windows 10 pro;DITEP-STF-P026
`
