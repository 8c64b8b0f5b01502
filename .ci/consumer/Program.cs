using TorchSharp;

// Loads the native backend through Sae.Core's package build files and runs a tensor operation.
Console.WriteLine(Sae.Core.Native.TorchBackend.EnsureLoaded());
var product = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2).matmul(torch.eye(2));
return product.sum().item<float>() == 10f ? 0 : 1;
