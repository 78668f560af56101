// Package england builds a partnership.Dataset from the data that the
// Department for Education (DfE) and Ofsted publish about the schools of
// England: Get Information about Schools (GIAS), the school census and
// inspection outcomes.
package england
