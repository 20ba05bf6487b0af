/// An error that chooses its own JSON-RPC error response, as hummingbird's `HTTPResponseError`
/// lets an error choose its HTTP response.
///
/// A ``RequestHandler`` throws any error that conforms; the connection answers the request with
/// its ``responseError`` (in one place: the task that runs the request). A server makes its
/// error types conform in one file, which is then the one place where its errors become codes.
public protocol ResponseErrorConvertible: Error {
  /// The `error` member of the response that answers the failed request.
  var responseError: ResponseError { get }
}

extension ResponseError: ResponseErrorConvertible {
  public var responseError: ResponseError { self }
}
