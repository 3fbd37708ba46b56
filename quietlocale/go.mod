module app.shoebox/quietlocale

go 1.26
