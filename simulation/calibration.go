package simulation

// DefaultParams returns the calibrated defaults (see ParamTable for each
// parameter's source).
func DefaultParams() Params {
	return Params{
		// Fitted by Calibrate on the embedded region's Ofsted history
		// (2,132 schools, 5,340 judgements, 3,533 consecutive pairs);
		// bootstrap standard deviations in the closing note of issue 13.
		Persistence: 0.859, SchoolEffect: 0.375, InspectionNoise: 0.367,
		CutOutstanding: 1.278, CutGood: -0.286, CutInadequate: -1.742,
		ResponseRI: 0.0581, ResponseInad: 0.184,
		AreaSpread: 0.35, AreaPersistence: 0.9, FSMEffect: -0.15,
		HeadDeparture: 0.033, HeadEffect: 0.15, RollFall: 0.01, RollEffect: 0.05,
		IntervalOutst: 14, IntervalGood: 11.25, IntervalRI: 7.35, IntervalInad: 4.6, IntervalJitter: 0.25,
		PeerNoise: 0.5, PeerShare: 0.8, ClusterSize: 3, ClusterLearning: 0.05,
		NeedDays: 6, SupplyDays: 12, OfferThreshold: 0.6, SupportEffect: 0.02, SupportSpill: 0.5,
		SupporterCost: 0.002, FitScale: 20, MaxDistanceKm: 40, SpreadRate: 0.02, CapacityRecovery: 0.2,
		Attendance: 93, AttendanceSlope: 1.5, Attainment: 60, AttainmentSlope: 10, SafeguardingCut: -2.5,
	}
}
