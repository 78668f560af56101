package simulation

// DefaultParams returns the calibrated defaults (see ParamTable for each
// parameter's source).
func DefaultParams() Params {
	return Params{
		// Fitted by Calibrate on the embedded region's Ofsted history
		// (2,132 schools, 5,340 judgements, 3,533 consecutive pairs; loss
		// 0.082), with bootstrap standard deviations (5 refits):
		// persistence ±0.029, school_effect ±0.016, inspection_noise
		// ±0.013, cut_outstanding ±0.041, cut_good ±0.028,
		// cut_inadequate ±0.025, response_ri ±0.017, response_inadequate
		// ±0.038.
		Persistence: 0.851, SchoolEffect: 0.375, InspectionNoise: 0.366,
		CutOutstanding: 1.305, CutGood: -0.278, CutInadequate: -1.741,
		ResponseRI: 0.0515, ResponseInad: 0.193,
		AreaSpread: 0.35, AreaPersistence: 0.9, FSMEffect: -0.15,
		HeadDeparture: 0.033, HeadEffect: 0.15, RollFall: 0.01, RollEffect: 0.05,
		IntervalOutst: 14, IntervalGood: 11.25, IntervalRI: 7.35, IntervalInad: 4.6, IntervalJitter: 0.25,
		PeerNoise: 0.5, PeerShare: 0.8, ClusterSize: 3, ClusterLearning: 0.05,
		NeedDays: 6, SupplyDays: 12, OfferThreshold: 0.6, SupportEffect: 0.02, SupportSpill: 0.5,
		SupporterCost: 0.002, FitScale: 20, MaxDistanceKm: 40, SpreadRate: 0.02, CapacityRecovery: 0.2,
		Attendance: 93, AttendanceSlope: 1.5, Attainment: 60, AttainmentSlope: 10, SafeguardingCut: -2.5,
	}
}
