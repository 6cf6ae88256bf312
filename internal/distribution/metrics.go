package distribution

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the distribution's Prometheus collectors, registered on the
// HTTP router's registry (served at /metrics).
type Metrics struct {
	deliveries *prometheus.CounterVec
	latency    *prometheus.HistogramVec
}

// NewMetrics builds the collectors.
func NewMetrics() *Metrics {
	return &Metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsroom_distribution_deliveries_total",
			Help: "Delivery outcomes by target name or channel: delivered, dead, failed_attempt.",
		}, []string{"target", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsroom_distribution_publish_to_delivered_seconds",
			Help:    "Time from the transition (publish, correct, kill) to the delivery's success, by kind (channel or target).",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600},
		}, []string{"kind"}),
	}
}

// Collectors lists the collectors to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.deliveries, m.latency}
}
