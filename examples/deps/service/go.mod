module example.com/deps-demo/service

go 1.20

require (
	golang.org/x/net v0.5.0
	golang.org/x/text v0.3.7
)
